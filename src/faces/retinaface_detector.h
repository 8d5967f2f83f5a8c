// RetinaFace (MobileNet-0.25, 5 landmarks) through OpenCV's DNN module, from the ONNX file that
// jobs/setup.sh makes (data_prep/make_face_detector.py): the image, or a region of it, is
// scaled so its longer side is a set size, padded to multiples of 32, and the network's
// anchors decoded and non-maximum suppressed as in biubug6/Pytorch_Retinaface.
#pragma once

#include <memory>
#include <string>

#include "faces/face_detector.h"

namespace au::faces {

struct RetinaFaceOptions {
  std::string model;         ///< the ONNX file
  int image_size = 640;      ///< the whole image's longer side is scaled to this
  int region_size = 160;     ///< a searched region's longer side is scaled to this
  float nms_overlap = 0.4f;  ///< boxes overlapping a better one more than this are dropped
};

class RetinaFaceDetector : public FaceDetector {
 public:
  /// Loads the model; throws UsageError naming the file when it is missing or not a model.
  explicit RetinaFaceDetector(const RetinaFaceOptions& options);
  ~RetinaFaceDetector() override;
  std::vector<DetectedFace> detect(const ImageView& image, float min_score,
                                   const Box& region = {}) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::faces
