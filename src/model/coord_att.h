// Coordinate Attention (Hou et al., CVPR 2021; houqb/CoordAttention): attention weights along
// height and along width from directional average pools, multiplied into the input.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

#include "model/batchnorm_folding.h"

namespace au::model {

class CoordAttImpl : public torch::nn::Module {
 public:
  /// Channels in = out = `channels`; the bottleneck has max(8, channels / reduction).
  explicit CoordAttImpl(int64_t channels, int64_t reduction = 32);
  torch::Tensor forward(const torch::Tensor& x);
  /// Inference only: conv1 + bn1 become one convolution.
  void foldBatchNorm();

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv_h_{nullptr}, conv_w_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr};
  FoldedConv conv1_bn1_;
};
TORCH_MODULE(CoordAtt);

}  // namespace au::model
