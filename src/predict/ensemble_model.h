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
#include "model/precision.h"

namespace au::predict {

/// How an ensemble runs.
struct EnsembleSettings {
  torch::Device device = torch::kCPU;
  model::Precision precision{"fp32"};
  /// Fold each BatchNorm into the convolution or linear layer before it
  /// (model::AuNetImpl::foldBatchNorm): the same probabilities to float rounding, fewer passes
  /// over memory.
  bool fold_batchnorm = true;
  /// > 0 on a GPU: predict() replays its forward passes as CUDA graphs of that many frames (a
  /// smaller batch is padded; a larger one gets a graph of its own).
  int64_t cuda_graph_batch = 0;
};

class EnsembleModel {
 public:
  /// Throws DataError naming the checkpoint and its config when a checkpoint was made by another
  /// model configuration than its config.ini says (or is not a checkpoint).
  EnsembleModel(const infer::EnsembleSpec& spec, const EnsembleSettings& settings);
  ~EnsembleModel();

  /// uint8 N x 112 x 112 x 3 (RGB) -> each frame's 12 probabilities. `reference`: the frames'
  /// video reference face (uint8 112 x 112 x 3, the data::medianImage of data::referencePicks of
  /// its faces), or one per frame (N x 112 x 112 x 3; not with CUDA graphs), needed when
  /// needsReference().
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
