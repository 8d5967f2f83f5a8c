// SGD whose step updates all parameters with a few ATen `_foreach_` calls instead of several
// kernels per tensor: on a GPU, per-tensor launches dominate the step of a model with hundreds of
// parameter tensors (539 for the depth-100 AU model).
// Same math, options, state and checkpoint format as torch::optim::SGD.
#pragma once

#include <torch/optim/sgd.h>

namespace au::train {

/// torch::optim::SGD with a multi-tensor step(). Param groups, SGDOptions (lr may change between
/// steps), zero_grad, SGDParamState::momentum_buffer and save()/load() are the base class's, so
/// checkpoints move freely between the two. Parameters without a gradient are skipped; a sparse
/// gradient is refused (au::Error).
class MultiTensorSgd : public torch::optim::SGD {
 public:
  using torch::optim::SGD::SGD;

  torch::Tensor step(LossClosure closure = nullptr) override;

 private:
  /// Updates params that share one device and dtype: one `_foreach_` call per operation.
  void stepForeachList(const std::vector<torch::Tensor>& params,
                       const std::vector<torch::Tensor>& grads,
                       const torch::optim::SGDOptions& options);
};

}  // namespace au::train
