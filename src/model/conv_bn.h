// A convolution, the BatchNorm after it and an optional (leaky) ReLU, with the state_dict keys of
// nn::Sequential(conv, bn[, activation]) ("0.weight", "1.running_mean", ...), so checkpoints and
// insightface or RetinaFace weights load unchanged. For inference the pair folds into one
// convolution (model/batchnorm_folding.h).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

#include "model/batchnorm_folding.h"

namespace au::model {

/// Slope for ConvBn's activation that means "none".
constexpr double kNoActivation = -1.0;

class ConvBnImpl : public torch::nn::Module {
 public:
  /// `slope` >= 0: a leaky ReLU of that slope after the BN (0: a plain ReLU).
  ConvBnImpl(torch::nn::Conv2d conv, torch::nn::BatchNorm2d bn, double slope = kNoActivation);
  torch::Tensor forward(const torch::Tensor& x);
  /// Inference only (eval mode): forward runs one folded convolution from now on. Call after the
  /// last to().
  void foldBatchNorm();

 private:
  torch::nn::Conv2d conv_;
  torch::nn::BatchNorm2d bn_;
  double slope_;
  FoldedConv folded_;
};
TORCH_MODULE(ConvBn);

}  // namespace au::model
