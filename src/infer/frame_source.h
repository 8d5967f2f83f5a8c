// Where au_infer reads test faces from: au_prep's shards (manifest.json) or the organisers'
// cropped_aligned/<video>/%05d.jpg folders, behind one interface.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace au::infer {

/// What a source knows of one video.
struct SourceVideo {
  std::vector<int> faces;  ///< frame numbers with a face image, ascending
  int frames = 0;          ///< the video's frame count as far as this source knows it
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  /// "shards <dir> (split test)" or "frame folders <dir>".
  virtual std::string describe() const = 0;
  /// Where `SourceVideo::frames` comes from, e.g. "the highest image number".
  virtual std::string countSource() const = 0;
  /// The videos the source holds, in its own order.
  virtual std::vector<std::string> videos() const = 0;
  virtual bool has(const std::string& video) const = 0;
  virtual SourceVideo video(const std::string& name) const = 0;
  /// Reads frames `numbers` of `video` (each one of its faces) into `out` (numbers.size() x
  /// 112x112x3 bytes, RGB) in the background; the future says which frames were readable
  /// (an unreadable JPEG counts as a frame without a face; the source logs which file).
  virtual std::future<std::vector<bool>> read(const std::string& video,
                                              const std::vector<int>& numbers,
                                              uint8_t* out) const = 0;
};

/// `path` holding manifest.json: its shards of `split`; otherwise a cropped_aligned root with one
/// folder of %05d.jpg per video. Throws DataError naming the path when it is neither.
std::unique_ptr<FrameSource> openFrameSource(const std::string& path, const std::string& split);
/// The cropped_aligned reader. Linked from folder_frame_source.cpp (OpenCV), or from
/// frame_source_no_folders.cpp in builds that read shards only.
std::unique_ptr<FrameSource> openFolderFrameSource(const std::string& root);

}  // namespace au::infer
