// Frames of one video file (through OpenCV's FFmpeg backend) or of one still image, in order,
// with their timestamps. The number of frames is what decodes: containers' frame counts are
// often wrong (no_face.mp4 says 98 and holds 95).
#pragma once

#include <memory>
#include <string>

#include "faces/face_types.h"

namespace au::faces {

class VideoReader {
 public:
  /// Opens the file; throws DataError naming it when it is neither a video nor an image that
  /// OpenCV can read.
  explicit VideoReader(const std::string& path);
  ~VideoReader();
  /// Decodes the next frame; false at the end (or where the file stops decoding).
  bool next();
  /// The frame `next` decoded last (valid until the next call).
  ImageView frame() const;
  int frameNumber() const { return frame_number_; }  ///< 1 for the first frame
  double timestampSeconds() const { return timestamp_; }
  /// Frames per second as the container says (0 when unknown, 1 for an image).
  double fps() const { return fps_; }
  /// The frame count the container claims (a hint only; -1 when unknown).
  long long claimedFrames() const { return claimed_frames_; }
  /// True when `path` names a still image (by its extension), read as a one-frame video.
  static bool isImage(const std::string& path);
  /// True when `path`'s extension is a common video container's (.mp4 .mov .avi .mkv .webm
  /// .m4v .mpg .mpeg .wmv .flv .3gp .ts .mts .m2ts .ogv .mxf .vob .dv).
  static bool isVideo(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int frame_number_ = 0;
  double timestamp_ = 0, fps_ = 0;
  long long claimed_frames_ = -1;
};

}  // namespace au::faces
