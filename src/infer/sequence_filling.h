// Per-video post-processing of per-frame AU probabilities: frames without a face get values from
// their neighbours, then each AU is smoothed by a centred mean filter (the paper's Eq. 7).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::infer {

using FrameProbabilities = std::array<float, io::kNumAus>;

enum class FillMode {
  kNearest,  ///< the nearest frame with a face; a tie takes the earlier one
  kLinear,   ///< linear interpolation between the two nearest faces (nearest at the ends)
};
/// "nearest" or "linear"; throws UsageError otherwise.
FillMode parseFillMode(const std::string& name);

/// Fills the frames whose `present` is false from the frames whose `present` is true. A video
/// with no face at all gets `empty_value` everywhere (0: every AU predicted absent).
void fillMissing(std::vector<FrameProbabilities>& frames, const std::vector<bool>& present,
                 FillMode mode, float empty_value = 0.0f);

/// Replaces each frame's value by the mean over the frames i - w/2 .. i + w/2 of the same video,
/// for each AU; at the ends the window shrinks to the frames that exist. `window` must be odd,
/// or 0 / 1 (no smoothing). Throws UsageError for an even window.
void smoothMovingAverage(std::vector<FrameProbabilities>& frames, int window);

}  // namespace au::infer
