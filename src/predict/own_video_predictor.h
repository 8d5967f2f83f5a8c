// Any video through the ensemble (the own-video path): frames decoded, faces found and tracked
// (src/faces); then, decoding the file again, each face warped onto the 5-point template and run
// through the ensemble in batches as they come, so memory does not grow with the video's images;
// then each face track's probabilities filled, smoothed and thresholded exactly as a challenge
// video's, and written as one OpenFace-style CSV (infer/openface_csv.h). For models that take a
// video reference face, each track's reference is the median of up to 256 of its faces, evenly
// spaced (data/video_reference.h, as a challenge video's over its frames), warped in a pass of
// its own before the ensemble's; a track's picks are held only until its last one. The result
// depends on the file alone.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "faces/face_alignment.h"
#include "faces/face_finder.h"
#include "faces/retinaface_detector.h"
#include "infer/ensemble_spec.h"
#include "predict/ensemble_model.h"

namespace au::predict {

struct OwnVideoOptions {
  faces::RetinaFaceOptions detector;
  faces::FaceFinderOptions finder;
  faces::AlignmentOptions alignment;
  int batch = 32;  ///< faces per forward pass
};

/// Where a rank's time goes, in seconds.
struct OwnVideoTimes {
  double decode = 0, detect = 0, warp = 0, forward = 0, postprocess = 0, annotate = 0;
};

struct OwnVideoResult {
  std::string csv;      ///< the whole CSV file
  int frames = 0;       ///< frames decoded
  int face_frames = 0;  ///< faces found, summed over frames
  int face_ids = 0;     ///< tracks (people) seen
};

class OwnVideoPredictor {
 public:
  /// Throws UsageError when the detector cannot be loaded.
  OwnVideoPredictor(EnsembleModel& model, const infer::EnsembleSpec& spec,
                    const OwnVideoOptions& options);
  ~OwnVideoPredictor();
  /// `between_batches` runs after each batch and every `batch` frames of each pass (rank 0
  /// answers work requests there). With `crops` set, each aligned face is also written there as
  /// <frame>_<face_id>.jpg; with `annotated` set, the file with each face's box, face_id and
  /// active AUs drawn is written there (.mp4, or .jpg/.png for an image). Throws DataError
  /// naming the file when it cannot be read as a video or image, decodes fewer frames the second
  /// time, or its annotated copy cannot be written.
  OwnVideoResult predict(const std::string& path, const std::function<void()>& between_batches,
                         const std::string& crops = "", const std::string& annotated = "");
  const OwnVideoTimes& times() const { return times_; }

 private:
  EnsembleModel& model_;
  const infer::EnsembleSpec& spec_;
  OwnVideoOptions options_;
  std::unique_ptr<faces::RetinaFaceDetector> detector_;
  OwnVideoTimes times_;
};

}  // namespace au::predict
