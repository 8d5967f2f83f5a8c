// au_infer's output folder: the ABAW3 folder, the ABAW5 file and the smoothed probabilities, from
// each video's per-frame probabilities and the spec's per-AU thresholds. They are written into
// a staging folder, checked there, and only then moved into place (each by one rename), so a
// failure leaves the previous outputs.
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

/// Thresholds each AU with `spec` and writes the three outputs into `dir` (created if needed),
/// videos in the given order.
OutputPaths writePredictions(const std::string& dir, const std::vector<VideoProbabilities>& videos,
                             const EnsembleSpec& spec);
/// Where writePredictions stages its outputs for `out`: a hidden folder inside it.
std::string stagingFolder(const std::string& out);
/// Moves the three outputs from `staging` into `out`, replacing older ones, and removes
/// `staging`. Returns their final paths.
OutputPaths publishPredictions(const std::string& staging, const std::string& out);

}  // namespace au::infer
