// The ensemble au_select chooses and au_infer runs: for each AU the checkpoint whose output it
// takes, the decision threshold and the smoothing window; stored as readable JSON.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::infer {

struct SpecCheckpoint {
  std::string name;        ///< e.g. "runs/r100_glint/epoch_003"
  std::string checkpoint;  ///< the au_train checkpoint file
  std::string config;      ///< that run's config.ini (its [model] section rebuilds the model)
};

struct AuChoice {
  int checkpoint = 0;       ///< index into EnsembleSpec::checkpoints
  float threshold = 0.5f;   ///< predict 1 when the (smoothed) probability >= threshold
  int window = 1;           ///< centred mean filter width (odd; 1 = none)
};

struct EnsembleSpec {
  std::vector<SpecCheckpoint> checkpoints;  ///< each distinct checkpoint once
  std::array<AuChoice, io::kNumAus> aus{};
  std::string fill = "linear";  ///< how frames without a face are filled (nearest, linear)
  double validation_mean_f1 = 0, validation_mean_f1_our = 0;  ///< what selection measured
};

/// Writes the spec atomically as JSON.
void writeSpec(const std::string& path, const EnsembleSpec& spec);
/// Reads a spec. Throws DataError naming the file for malformed content, and naming every
/// checkpoint or config file the spec lists that does not exist.
EnsembleSpec readSpec(const std::string& path);

}  // namespace au::infer
