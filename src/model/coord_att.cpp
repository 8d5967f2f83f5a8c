#include "model/coord_att.h"

#include <ATen/ATen.h>

namespace au::model {
namespace nn = torch::nn;

CoordAttImpl::CoordAttImpl(int64_t channels, int64_t reduction) {
  const int64_t mip = std::max<int64_t>(8, channels / reduction);
  conv1_ = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(channels, mip, 1)));
  bn1_ = register_module("bn1", nn::BatchNorm2d(mip));
  conv_h_ = register_module("conv_h", nn::Conv2d(nn::Conv2dOptions(mip, channels, 1)));
  conv_w_ = register_module("conv_w", nn::Conv2d(nn::Conv2dOptions(mip, channels, 1)));
}

torch::Tensor CoordAttImpl::forward(const torch::Tensor& x) {
  const int64_t h = x.size(2);
  const int64_t w = x.size(3);
  const torch::Tensor pooled_h = x.mean(3, /*keepdim=*/true);                        // N,C,H,1
  const torch::Tensor pooled_w = x.mean(2, /*keepdim=*/true).permute({0, 1, 3, 2});  // N,C,W,1
  requireEvalWhenFolded(*this, conv1_bn1_.defined());
  const torch::Tensor pooled = torch::cat({pooled_h, pooled_w}, 2);
  torch::Tensor y = conv1_bn1_.defined() ? conv1_bn1_(pooled) : bn1_(conv1_(pooled));
  y = y * torch::relu6(y + 3) / 6;  // h-swish
  auto parts = torch::split(y, {h, w}, 2);
  const torch::Tensor a_h = torch::sigmoid(conv_h_(parts[0]));
  const torch::Tensor a_w = torch::sigmoid(conv_w_(parts[1].permute({0, 1, 3, 2})));
  return x * a_w * a_h;
}

void CoordAttImpl::foldBatchNorm() { conv1_bn1_ = FoldedConv(conv1_, bn1_); }

}  // namespace au::model
