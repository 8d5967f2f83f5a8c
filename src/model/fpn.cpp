#include "model/fpn.h"

#include <torch/nn/functional/upsampling.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

#include "common/error.h"

namespace au::model {
namespace nn = torch::nn;

namespace {
// RetinaFace: leaky ReLU 0.1 for narrow (<= 64 channel) levels, plain ReLU otherwise.
double slopeFor(int64_t width) { return width <= 64 ? 0.1 : 0.0; }
}  // namespace

ConvBn convBn(int64_t in, int64_t out, int64_t kernel, double slope) {
  return ConvBn(nn::Conv2d(nn::Conv2dOptions(in, out, kernel).padding(kernel / 2).bias(false)),
                nn::BatchNorm2d(out), slope);
}

FpnImpl::FpnImpl(const std::array<int64_t, 3>& in, int64_t width) {
  const double slope = slopeFor(width);
  output1_ = register_module("output1", convBn(in[0], width, 1, slope));
  output2_ = register_module("output2", convBn(in[1], width, 1, slope));
  output3_ = register_module("output3", convBn(in[2], width, 1, slope));
  merge1_ = register_module("merge1", convBn(width, width, 3, slope));
  merge2_ = register_module("merge2", convBn(width, width, 3, slope));
}

std::array<torch::Tensor, 3> FpnImpl::forward(const std::array<torch::Tensor, 3>& levels) {
  namespace F = torch::nn::functional;
  auto upTo = [](const torch::Tensor& x, const torch::Tensor& like) {
    return F::interpolate(x, F::InterpolateFuncOptions()
                                 .size(std::vector<int64_t>{like.size(2), like.size(3)})
                                 .mode(torch::kNearest));
  };
  torch::Tensor out1 = output1_->forward(levels[0]);
  torch::Tensor out2 = output2_->forward(levels[1]);
  const torch::Tensor out3 = output3_->forward(levels[2]);
  out2 = merge2_->forward(out2 + upTo(out3, out2));
  out1 = merge1_->forward(out1 + upTo(out2, out1));
  return {out1, out2, out3};
}

void FpnImpl::foldBatchNorm() {
  for (auto* c : {&output1_, &output2_, &output3_, &merge1_, &merge2_}) (*c)->foldBatchNorm();
}

SshImpl::SshImpl(int64_t in, int64_t width) {
  AU_CHECK(width % 4 == 0, "SSH width must be a multiple of 4, not ", width);
  const double slope = slopeFor(width);
  conv3x3_ = register_module("conv3X3", convBn(in, width / 2, 3, kNoActivation));
  conv5x5_1_ = register_module("conv5X5_1", convBn(in, width / 4, 3, slope));
  conv5x5_2_ = register_module("conv5X5_2", convBn(width / 4, width / 4, 3, kNoActivation));
  conv7x7_2_ = register_module("conv7X7_2", convBn(width / 4, width / 4, 3, slope));
  conv7x7_3_ = register_module("conv7x7_3", convBn(width / 4, width / 4, 3, kNoActivation));
}

torch::Tensor SshImpl::forward(const torch::Tensor& x) {
  const torch::Tensor branch3 = conv3x3_->forward(x);
  const torch::Tensor shared = conv5x5_1_->forward(x);
  const torch::Tensor branch5 = conv5x5_2_->forward(shared);
  const torch::Tensor branch7 = conv7x7_3_->forward(conv7x7_2_->forward(shared));
  return torch::relu(torch::cat({branch3, branch5, branch7}, 1));
}

void SshImpl::foldBatchNorm() {
  for (auto* c : {&conv3x3_, &conv5x5_1_, &conv5x5_2_, &conv7x7_2_, &conv7x7_3_})
    (*c)->foldBatchNorm();
}

}  // namespace au::model
