// The face detector behind one interface, so that the own-video path does not depend on which
// model finds the faces (RetinaFace today: retinaface_detector.h).
#pragma once

#include <vector>

#include "faces/face_types.h"

namespace au::faces {

class FaceDetector {
 public:
  virtual ~FaceDetector() = default;
  /// Faces in the image scoring at least `min_score`, best first, boxes and landmarks in the
  /// image's pixels. `region` limits the search to part of the image (clipped to it); an empty
  /// region means the whole image. Not thread-safe: one detector per thread.
  virtual std::vector<DetectedFace> detect(const ImageView& image, float min_score,
                                           const Box& region = {}) = 0;
};

}  // namespace au::faces
