// What every video's (or face track's) per-frame probabilities go through before thresholding:
// the frames without a face filled as the spec says, then each AU smoothed with its own window.
// Challenge videos (au_infer) and own videos' face tracks take exactly this path.
#pragma once

#include <vector>

#include "infer/ensemble_spec.h"
#include "infer/sequence_filling.h"
#include "infer/submission.h"

namespace au::infer {

/// `frames` (one per frame of the video, those whose `present` is false ignored) filled and
/// smoothed. Memory: three copies of the sequence, however many distinct windows the AUs use.
std::vector<FrameProbabilities> postprocessVideo(std::vector<FrameProbabilities> frames,
                                                 const std::vector<bool>& present,
                                                 const EnsembleSpec& spec);

/// Each AU's decision at the spec's threshold: 1 when the probability reaches it.
FramePrediction decideAus(const FrameProbabilities& probabilities, const EnsembleSpec& spec);

}  // namespace au::infer
