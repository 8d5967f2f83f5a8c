// manifest.json, the index au_prep writes beside the shards, defined once for its writer
// (data_prep/prep/manifest.cpp) and its readers (io/shard_manifest.cpp, au_prep's label table):
//   format          "au-ensemble shards"
//   schema_version  the shard schema (shard_schema.h)
//   au_names        the 12 AUs in column order
//   image           {height, width, channels, layout "NHWC", color "RGB", dtype "uint8"}
//   options         {shard_frames, folds, chunk_frames, compression}: au_prep's settings
//   totals          {videos, frames, images, missing, unreadable}
//   shards          [{file, split, frames, bytes, crc32c, videos}], frames = rows with an image
//   splits          {split: {videos, shards, frames, images, missing, unreadable}}
//   folds           [[video names of fold k]]
//   label_counts    {split or "train+validation": {AU: {positive, negative, unknown}}}
//   videos          {name: {split, fold (-1: none), shard, frames, images, missing, unreadable}}
#pragma once

namespace au::io::manifest {

constexpr const char* kFileName = "manifest.json";
constexpr const char* kFormatName = "au-ensemble shards";

constexpr const char* kFormat = "format";
constexpr const char* kSchemaVersion = "schema_version";
constexpr const char* kAuNames = "au_names";
constexpr const char* kImage = "image";
constexpr const char* kOptions = "options";
constexpr const char* kTotals = "totals";
constexpr const char* kShards = "shards";
constexpr const char* kSplits = "splits";
constexpr const char* kFolds = "folds";
constexpr const char* kLabelCounts = "label_counts";
constexpr const char* kVideos = "videos";

// Fields of shards, splits, videos and totals.
constexpr const char* kFile = "file";
constexpr const char* kSplit = "split";
constexpr const char* kFold = "fold";
constexpr const char* kShard = "shard";
constexpr const char* kFrames = "frames";
constexpr const char* kImages = "images";
constexpr const char* kMissing = "missing";
constexpr const char* kUnreadable = "unreadable";
constexpr const char* kBytes = "bytes";
constexpr const char* kCrc32c = "crc32c";

// Label counts: per split, and over training and validation together.
constexpr const char* kTrainAndValidation = "train+validation";
constexpr const char* kPositive = "positive";
constexpr const char* kNegative = "negative";
constexpr const char* kUnknown = "unknown";

}  // namespace au::io::manifest
