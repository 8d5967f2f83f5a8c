// The ensemble an EnsembleSpec describes, loaded for inference: each distinct checkpoint once
// (rebuilt from its run's config.ini), each frame run through those models only, and each AU's
// probability taken from the model the spec chose for it (for a k-fold entry, the mean of its
// member models' probabilities).
#pragma once

#include <torch/types.h>

#include <memory>
#include <vector>

#include "infer/ensemble_spec.h"
#include "infer/sequence_filling.h"

namespace au::predict {

class EnsembleModel {
 public:
  /// Throws DataError naming the checkpoint and its config when a checkpoint was made by another
  /// model configuration than its config.ini says (or is not a checkpoint).
  /// With `cuda_graph_batch` > 0 on a GPU, predict() replays its forward passes as CUDA graphs
  /// of that many frames (a smaller batch is padded; a larger one gets a graph of its own).
  EnsembleModel(const infer::EnsembleSpec& spec, const torch::Device& device, bool autocast,
                torch::Dtype dtype, int64_t cuda_graph_batch = 0);
  ~EnsembleModel();

  /// uint8 N x 112 x 112 x 3 (RGB) -> each frame's 12 probabilities. `reference`: the frames'
  /// video reference face (uint8 112 x 112 x 3, the data::medianImage of data::referencePicks of
  /// its faces), needed when needsReference().
  std::vector<infer::FrameProbabilities> predict(const torch::Tensor& images,
                                                 const torch::Tensor& reference = {});
  /// Distinct model files loaded (each member of a k-fold entry counts).
  int numModels() const;
  /// Whether a model of the ensemble takes each frame's video reference face.
  bool needsReference() const;
  /// Whether predict() has replayed CUDA graphs only (false when off, or a capture failed).
  bool graphsCaptured() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::predict
