// The project's own checkpoints: the model (model/model_checkpoint.h), optimiser state and
// training state in one versioned file (a LibTorch archive), written atomically. A checkpoint of
// another model configuration is refused with both configurations named.
#pragma once

#include <torch/optim/optimizer.h>

#include <cstdint>
#include <string>

#include "model/au_net.h"

namespace au::train {

/// Where training stands; enough to resume exactly.
struct TrainingState {
  int64_t epoch = 0;             ///< epochs completed
  int64_t step = 0;              ///< optimiser steps taken
  int64_t sampler_position = 0;  ///< samples of the current epoch already consumed (global)
  int64_t seed = 0;
  double best_metric = 0;  ///< best validation mean F1 so far
  std::string extra;       ///< free-form JSON for later fields (kept verbatim)
};

/// Writes `path` atomically. `optimizer` may be null (weights only, e.g. for inference).
void saveCheckpoint(const std::string& path, model::AuNet& net, torch::optim::Optimizer* optimizer,
                    const TrainingState& state);

/// Loads a checkpoint into `net` (and `optimizer`, if given and the file has one), its tensors
/// mapped to `device` (where `net` lives: a checkpoint saved from cuda:0 loads onto any GPU or
/// the CPU). Throws DataError naming the file when it is not a checkpoint, has another version,
/// or was made by a different model configuration (both fingerprints are in the message).
TrainingState loadCheckpoint(const std::string& path, model::AuNet& net,
                             torch::optim::Optimizer* optimizer,
                             const torch::Device& device = torch::kCPU);

}  // namespace au::train
