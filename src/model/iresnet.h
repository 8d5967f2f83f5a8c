// IResNet as insightface defines it (arcface_torch backbones/iresnet.py): same structure,
// parameter count and module names, so a Glint360K backbone.pth state_dict maps key for key.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <array>
#include <vector>

#include "model/batchnorm_folding.h"
#include "model/conv_bn.h"

namespace au::model {

/// Blocks per stage of IResNet-`depth` (18, 34, 50, 100, 200).
std::array<int, 4> iresnetLayers(int depth);

/// BN -> 3x3 conv -> BN -> PReLU -> 3x3 conv (stride) -> BN, plus the shortcut.
class IBasicBlockImpl : public torch::nn::Module {
 public:
  IBasicBlockImpl(int64_t inplanes, int64_t planes, int64_t stride);
  torch::Tensor forward(const torch::Tensor& x);
  /// Inference only: conv1 + bn2, conv2 + bn3 and the shortcut's conv + BN each become one
  /// convolution (bn1 stays: it comes before a zero-padded convolution, so it cannot fold).
  void foldBatchNorm();

 private:
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr}, bn3_{nullptr};
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  torch::nn::PReLU prelu_{nullptr};
  ConvBn downsample_{nullptr};
  FoldedConv conv1_bn2_, conv2_bn3_;
};
TORCH_MODULE(IBasicBlock);

class IResNetImpl : public torch::nn::Module {
 public:
  /// `with_head`: also build bn2/dropout/fc/features (the 512-d face-recognition head).
  /// `width`: channels of the first stage (stages have width x 1, 2, 4, 8); insightface's is 64.
  /// `in_channels`: 3 (RGB) unless the input carries more planes (see
  /// ModelOptions::video_reference).
  explicit IResNetImpl(int depth, bool with_head = true, int64_t num_features = 512,
                       int64_t width = 64, int64_t in_channels = 3);
  /// Stem and stages: returns the outputs of stages 1..4 (64@56, 128@28, 256@14, 512@7).
  /// `after_stage(i, x)`, if given, may transform stage i's output before the next stage.
  std::array<torch::Tensor, 4> stages(
      const torch::Tensor& x,
      const std::function<torch::Tensor(int, torch::Tensor)>& after_stage = {});
  /// The head on stage 4's output (needs with_head).
  torch::Tensor head(const torch::Tensor& stage4);
  /// Input N x 3 x 112 x 112 in [-1, 1] -> N x num_features.
  torch::Tensor forward(const torch::Tensor& x);
  bool hasHead() const { return !fc_.is_empty(); }
  /// Inference only: the stem's conv + BN, every block's (IBasicBlockImpl::foldBatchNorm) and the
  /// head's fc + features become single layers.
  void foldBatchNorm();

 private:
  torch::nn::Conv2d conv1_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  torch::nn::PReLU prelu_{nullptr};
  std::array<torch::nn::Sequential, 4> layers_{nullptr, nullptr, nullptr, nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear fc_{nullptr};
  torch::nn::BatchNorm1d features_{nullptr};
  FoldedConv stem_;
  FoldedLinear fc_features_;
};
TORCH_MODULE(IResNet);

}  // namespace au::model
