// A copy of a video (or image) with each face's box and a few lines of text drawn on it (au_video
// writes the face_id and the AUs it found active), so a person can check the output at a glance.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "faces/face_types.h"

namespace au::faces {

/// One face to draw in one frame.
struct FaceLabel {
  Box box;
  std::vector<std::string> lines;  ///< text above the box, first line on top
};

class AnnotatedWriter {
 public:
  /// `path` names the output; its extension picks the format: .mp4 (MPEG-4 Part 2 at `fps`, which
  /// FFmpeg encodes without extra libraries), or .jpg/.png for a single frame. Frames go to a
  /// temporary file beside it (".<name>.partial.<pid><ext>"), renamed by finish(), so a killed run
  /// leaves no half-written file under the final name.
  AnnotatedWriter(const std::string& path, double fps);
  /// Removes the temporary file unless finish() ran.
  ~AnnotatedWriter();
  /// Draws `faces` on a copy of `frame` (BGR) and appends it; a video frame of another size than
  /// the first is scaled to it. Throws au::Error naming the path when the file cannot be
  /// written.
  void write(const ImageView& frame, const std::vector<FaceLabel>& faces);
  /// Closes the file and renames it into place (a video with no frames is not written).
  void finish();
  /// Whether `path` (of some run) is one of these temporary files.
  static bool isTemporary(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::faces
