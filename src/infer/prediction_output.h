// au_infer's output folder: the ABAW3 folder, the ABAW5 file and the smoothed probabilities, from
// each video's per-frame probabilities and the spec's per-AU thresholds. Every file is written
// atomically, so a crash leaves the previous complete output or none.
#pragma once

#include <string>
#include <vector>

#include "infer/ensemble_spec.h"
#include "infer/sequence_filling.h"

namespace au::infer {

struct VideoProbabilities {
  std::string video;
  std::vector<FrameProbabilities> frames;  ///< frames 1..N, smoothed
};

struct OutputPaths {
  std::string abaw3;          ///< <out>/abaw3/
  std::string abaw5;          ///< <out>/submission.csv
  std::string probabilities;  ///< <out>/probabilities.csv
};
OutputPaths outputPaths(const std::string& out);

/// Thresholds each AU with `spec` and writes the three outputs under `out` (created if needed),
/// videos in the given order.
OutputPaths writePredictions(const std::string& out, const std::vector<VideoProbabilities>& videos,
                             const EnsembleSpec& spec);

}  // namespace au::infer
