#include "prep/shard_builder.h"

#include <filesystem>
#include <vector>

#include "common/atomic_file.h"
#include "common/disk_space.h"
#include "common/error.h"
#include "common/log.h"
#include "io/annotation_file.h"
#include "io/face_image.h"
#include "io/frame_folder.h"
#include "io/shard_reader.h"
#include "io/shard_schema.h"
#include "io/shard_writer.h"

namespace au::prep {
namespace fs = std::filesystem;

namespace {

// A complete shard whose fingerprint matches the plan can be kept as it is.
bool reusable(const std::string& path, uint64_t fingerprint) {
  if (!fs::exists(path)) return false;
  try {
    io::ShardReader reader(path);
    return reader.complete() && reader.planFingerprint() == fingerprint;
  } catch (const Error& e) {
    log::warn("rebuilding ", path, ": ", e.what());
    return false;
  }
}

// Temporary files of this shard left by a killed earlier run (any process id).
void removeStaleTemporaries(const std::string& dir, const std::string& file) {
  const std::string prefix = file + ".tmp.";
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0) {
      log::info("removing incomplete ", entry.path().string(), " left by an earlier run");
      fs::remove(entry.path());
    }
  }
}

void writeVideo(io::ShardWriter& writer, const io::VideoEntry& video, const PrepOptions& options,
                BuildResult& result, int64_t& written, const FrameCallback& on_frame) {
  std::vector<io::AuLabels> labels;
  if (!video.annotation_file.empty()) {
    labels = io::readAnnotationFile(video.annotation_file);
    if (static_cast<int>(labels.size()) != video.frames)
      throw DataError(video.annotation_file, 0,
                      "has " + std::to_string(labels.size()) + " rows now but " +
                          std::to_string(video.frames) + " when the plan was made; rerun au_prep");
  }
  io::AuLabels unknown;
  unknown.fill(-1);
  const std::string frames_root = options.data.framesRoot();
  const std::vector<int> present = io::listFrameNumbers(frames_root + "/" + video.name);
  writer.addVideo(video.name, video.frames);
  std::vector<uint8_t> rgb(static_cast<size_t>(io::shard::kImageBytes));
  size_t next_present = 0;
  for (int frame = 1; frame <= video.frames; ++frame) {
    while (next_present < present.size() && present[next_present] < frame) ++next_present;
    if (next_present == present.size() || present[next_present] != frame) {
      writer.recordMissing(frame, io::shard::kNoImageFile);
      continue;
    }
    const std::string path = io::framePath(frames_root, video.name, frame);
    const io::FaceImageResult image = io::readFaceImage(path, rgb.data());
    if (image.status != io::FaceImageStatus::kOk) {
      log::warn(path, ": ", image.problem, "; recorded as a frame without a face");
      writer.recordMissing(frame, image.status == io::FaceImageStatus::kMissing
                                      ? io::shard::kNoImageFile
                                      : io::shard::kUnreadableImage);
      continue;
    }
    if (image.resized) ++result.resized;
    writer.appendFrame(frame, labels.empty() ? unknown : labels[static_cast<size_t>(frame - 1)],
                       rgb.data());
    ++written;
    on_frame(written);
  }
}

}  // namespace

BuildResult buildShard(const ShardPlan& plan, const PlannedShard& shard, const PrepOptions& options,
                       const FrameCallback& on_frame) {
  BuildResult result;
  const std::string path = options.out + "/" + shard.file;
  result.path = path;
  removeStaleTemporaries(options.out, shard.file);
  if (!options.overwrite && reusable(path, shard.fingerprint)) {
    result.reused = true;
    result.summary = summarizeShard(path, shard.file);
    return result;
  }
  const std::string tmp = temporaryPath(path);
  int64_t written = 0;
  try {
    io::ShardWriter writer(tmp, shard.split, shard.index, shard.fingerprint, options.writer);
    for (int v : shard.videos)
      writeVideo(writer, plan.videos[static_cast<size_t>(v)], options, result, written, on_frame);
    writer.close();
  } catch (...) {
    // Free space measured before the partial shard is removed: HDF5 says only which call
    // failed, and the usual cause is a full disk or quota.
    const std::string space = freeSpaceNote(path);
    std::error_code ignored;
    fs::remove(tmp, ignored);
    try {
      throw;
    } catch (const DataError&) {
      throw;  // the input's fault, already named
    } catch (const Error& e) {
      AU_THROW(Error, path, ": cannot write the shard (", e.what(), "); ", space);
    }
  }
  result.temporary = tmp;
  result.summary = summarizeShard(tmp, shard.file);
  return result;
}

}  // namespace au::prep
