// One test video through the ensemble: its faces read in batches (the next batch read while the
// current one runs), frames without a face filled, each AU smoothed with its window. The result
// depends on the video alone (fixed batches from its first face), never on the rank that runs it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "infer/ensemble_spec.h"
#include "infer/frame_source.h"
#include "infer/sequence_filling.h"
#include "predict/ensemble_model.h"

namespace au::predict {

/// Where a rank's time goes, in seconds.
struct PredictTimes {
  double forward = 0;      ///< in the ensemble's forward passes
  double read_wait = 0;    ///< waiting for frames to be read
  double postprocess = 0;  ///< filling and smoothing
};

struct VideoPrediction {
  std::vector<infer::FrameProbabilities> probs;  ///< frames 1..N, filled and smoothed
  int faces = 0;                                 ///< frames that had a readable face
  int dropped = 0;  ///< faces numbered outside 1..N (not in the submission)
};

class VideoPredictor {
 public:
  VideoPredictor(const infer::FrameSource& source, EnsembleModel& model,
                 const infer::EnsembleSpec& spec, int batch);
  /// `frames` = N. `between_batches` runs after each batch (rank 0 answers work requests there).
  VideoPrediction predict(const std::string& video, int frames,
                          const std::function<void()>& between_batches);
  const PredictTimes& times() const { return times_; }

 private:
  const infer::FrameSource& source_;
  EnsembleModel& model_;
  const infer::EnsembleSpec& spec_;
  int batch_;
  PredictTimes times_;
};

}  // namespace au::predict
