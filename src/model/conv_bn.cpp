#include "model/conv_bn.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/modules/activation.h>

namespace au::model {

ConvBnImpl::ConvBnImpl(torch::nn::Conv2d conv, torch::nn::BatchNorm2d bn, double slope)
    : conv_(register_module("0", std::move(conv))),
      bn_(register_module("1", std::move(bn))),
      slope_(slope) {
  // Parameter-free, registered only so that printing the model shows it where Sequential did.
  if (slope >= 0)
    register_module("2", torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(slope)));
}

torch::Tensor ConvBnImpl::forward(const torch::Tensor& x) {
  requireEvalWhenFolded(*this, folded_.defined());
  torch::Tensor y = folded_.defined() ? folded_(x) : bn_(conv_(x));
  if (slope_ < 0) return y;
  return torch::nn::functional::leaky_relu(
      y, torch::nn::functional::LeakyReLUFuncOptions().negative_slope(slope_));
}

void ConvBnImpl::foldBatchNorm() { folded_ = FoldedConv(conv_, bn_); }

}  // namespace au::model
