// The model half of the project's checkpoints (one LibTorch archive): the format tag and
// version, the model's options and its weights. Inference builds a model from a checkpoint
// alone; train/checkpoint adds the optimiser and the training state to the same archive.
#pragma once

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <cstdint>
#include <string>

#include "model/au_net.h"
#include "model/model_options.h"

namespace au::model {

/// 2: the model's options are stored; 1 (still read): only their fingerprint.
constexpr int64_t kCheckpointVersion = 2;

/// Opens a checkpoint with its tensors mapped to `device`. Throws DataError naming the file when
/// it is not a readable au-ensemble checkpoint or has a version this build does not read.
torch::serialize::InputArchive openCheckpoint(const std::string& path,
                                              const torch::Device& device = torch::kCPU);

/// Writes the format tag, version, `net`'s options and weights into `archive`.
void writeModel(torch::serialize::OutputArchive& archive, AuNet& net);

/// Loads the weights of an opened checkpoint into `net`. Throws DataError naming `path` when the
/// checkpoint was made by another model configuration (both fingerprints are in the message).
void readModel(torch::serialize::InputArchive& archive, const std::string& path, AuNet& net);

/// The options a checkpoint's model was made with: stored ones, or for a version-1 file those
/// its fingerprint names (dropout, which changes no tensor, then keeps its default).
ModelOptions checkpointModelOptions(const std::string& path);

/// The model configuration a checkpoint was made with (ModelOptions::fingerprint()).
std::string checkpointModelFingerprint(const std::string& path);

/// A model built from a checkpoint alone, its weights loaded, on the CPU.
AuNet loadModel(const std::string& path);

}  // namespace au::model
