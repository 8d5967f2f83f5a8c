// Feature pyramid over three backbone levels and SSH context modules, as in RetinaFace
// (biubug6/Pytorch_Retinaface models/net.py), with the same module names.
#pragma once

#include <torch/nn/module.h>

#include <array>
#include <vector>

#include "model/conv_bn.h"

namespace au::model {

/// conv (no bias) + BN (+ leaky ReLU when `slope` >= 0; slope 0 is a plain ReLU).
ConvBn convBn(int64_t in, int64_t out, int64_t kernel, double slope);

/// Laterals output1..3 (1x1) to `width` channels; the coarser level, upsampled (nearest) to the
/// finer one's size, is added and merged by a 3x3 conv (merge2, then merge1). Returns the three
/// levels finest first; the coarsest is not merged.
class FpnImpl : public torch::nn::Module {
 public:
  FpnImpl(const std::array<int64_t, 3>& in_channels, int64_t width);
  std::array<torch::Tensor, 3> forward(const std::array<torch::Tensor, 3>& levels);
  /// Inference only: see ConvBnImpl::foldBatchNorm.
  void foldBatchNorm();

 private:
  ConvBn output1_{nullptr}, output2_{nullptr}, output3_{nullptr};
  ConvBn merge1_{nullptr}, merge2_{nullptr};
};
TORCH_MODULE(Fpn);

/// Concat of a 3x3 branch (width/2), a "5x5" branch (two 3x3, width/4) and a "7x7" branch
/// (three 3x3 sharing the first conv of the 5x5 branch, width/4), then ReLU.
class SshImpl : public torch::nn::Module {
 public:
  SshImpl(int64_t in_channels, int64_t width);
  torch::Tensor forward(const torch::Tensor& x);
  /// Inference only: see ConvBnImpl::foldBatchNorm.
  void foldBatchNorm();

 private:
  ConvBn conv3x3_{nullptr}, conv5x5_1_{nullptr}, conv5x5_2_{nullptr};
  ConvBn conv7x7_2_{nullptr}, conv7x7_3_{nullptr};
};
TORCH_MODULE(Ssh);

}  // namespace au::model
