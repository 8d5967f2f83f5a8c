// Inference only: a convolution (or linear layer) followed by a BatchNorm in eval mode is one
// affine map, so the pair can run as one convolution whose weights hold the BN's scale and whose
// bias holds its shift. That saves a pass over the activations per BN (126 of the 175 in the
// paper's model); the checkpoint's parameters are left as they are.
#pragma once

#include <torch/nn/functional/conv.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

namespace au::model {

/// `conv` then `bn` (its running statistics) as one convolution. The folded tensors are taken
/// on the modules' device, dtype and memory format at the time of folding: fold after the last
/// to() or toChannelsLast().
class FoldedConv {
 public:
  FoldedConv() = default;
  FoldedConv(const torch::nn::Conv2d& conv, const torch::nn::BatchNorm2d& bn);
  bool defined() const { return weight_.defined(); }
  torch::Tensor operator()(const torch::Tensor& x) const;

 private:
  torch::Tensor weight_;
  torch::nn::functional::Conv2dFuncOptions options_;  ///< with the folded bias
};

/// `linear` then `bn` (a BatchNorm1d over its outputs) as one linear layer.
class FoldedLinear {
 public:
  FoldedLinear() = default;
  FoldedLinear(const torch::nn::Linear& linear, const torch::nn::BatchNorm1d& bn);
  bool defined() const { return weight_.defined(); }
  torch::Tensor operator()(const torch::Tensor& x) const;

 private:
  torch::Tensor weight_, bias_;
};

/// Throws UsageError when a module whose BatchNorm is folded is asked to train: the folded
/// tensors are neither trained nor kept in step with the parameters.
void requireEvalWhenFolded(const torch::nn::Module& module, bool folded);

}  // namespace au::model
