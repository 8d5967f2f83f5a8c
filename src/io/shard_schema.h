// The HDF5 shard format (schema version 1), defined once for every reader and writer.
// One shard holds whole videos of one split:
//   images            uint8 [N,112,112,3]  RGB, row-major NHWC, chunked by a few frames
//   labels            int8  [N,12]         1/0, -1 unknown (all -1 in test shards)
//   video             int32 [N]            index into the video table
//   frame             int32 [N]            1-based frame number (the %05d.jpg number)
//   videos            string [V]           video table: names (variable-length UTF-8)
//   video_first_row   int64 [V]            first row of each video's frames in this shard
//   video_num_rows    int64 [V]            rows (frames with an image) of each video
//   video_num_frames  int32 [V]            frames of the video (annotation rows / test frames)
//   missing_video     int32 [M]            frames without a usable image: video index,
//   missing_frame     int32 [M]              frame number,
//   missing_reason    int8  [M]              1 = no image file, 2 = unreadable image
// Root attributes: schema_version, split, shard_index, plan_fingerprint, au_names, complete.
#pragma once

#include <cstdint>

namespace au::io::shard {

constexpr int kSchemaVersion = 1;
constexpr int kImageSize = 112;
constexpr int kChannels = 3;
constexpr int64_t kImageBytes = int64_t{kImageSize} * kImageSize * kChannels;

constexpr const char* kImages = "images";
constexpr const char* kLabels = "labels";
constexpr const char* kVideo = "video";
constexpr const char* kFrame = "frame";
constexpr const char* kVideos = "videos";
constexpr const char* kVideoFirstRow = "video_first_row";
constexpr const char* kVideoNumRows = "video_num_rows";
constexpr const char* kVideoNumFrames = "video_num_frames";
constexpr const char* kMissingVideo = "missing_video";
constexpr const char* kMissingFrame = "missing_frame";
constexpr const char* kMissingReason = "missing_reason";

constexpr const char* kAttrSchemaVersion = "schema_version";
constexpr const char* kAttrSplit = "split";
constexpr const char* kAttrShardIndex = "shard_index";
constexpr const char* kAttrPlanFingerprint = "plan_fingerprint";
constexpr const char* kAttrAuNames = "au_names";
constexpr const char* kAttrComplete = "complete";

enum MissingReason : int8_t { kNoImageFile = 1, kUnreadableImage = 2 };

}  // namespace au::io::shard
