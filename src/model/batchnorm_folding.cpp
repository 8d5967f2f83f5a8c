#include "model/batchnorm_folding.h"

#include <torch/nn/functional/linear.h>
#include <torch/torch.h>

#include <variant>

#include "common/error.h"

namespace au::model {

namespace {
// The BN's scale gamma / sqrt(var + eps) and shift beta - mean * scale, in float64 so that folding
// adds no rounding of its own beyond the final cast.
struct Affine {
  torch::Tensor scale, shift;
};

template <typename BatchNorm>
Affine affineOf(const BatchNorm& bn) {
  AU_CHECK(!bn->is_training(), "BatchNorm is folded from its running statistics: eval mode only");
  AU_CHECK(bn->running_mean.defined() && bn->running_var.defined(),
           "a BatchNorm without running statistics cannot be folded");
  const auto f64 = [](const torch::Tensor& t) { return t.to(torch::kFloat64); };
  torch::Tensor scale = (f64(bn->running_var) + bn->options.eps()).rsqrt();
  if (bn->weight.defined()) scale = scale * f64(bn->weight);
  torch::Tensor shift = -f64(bn->running_mean) * scale;
  if (bn->bias.defined()) shift = shift + f64(bn->bias);
  return {scale, shift};
}

// W' = W * scale (per output row), b' = b * scale + shift.
std::pair<torch::Tensor, torch::Tensor> fold(const torch::Tensor& weight, const torch::Tensor& bias,
                                             const Affine& affine) {
  std::vector<int64_t> per_row(static_cast<size_t>(weight.dim()), 1);
  per_row[0] = -1;
  torch::Tensor w = (weight.to(torch::kFloat64) * affine.scale.view(per_row))
                        .to(weight.scalar_type())
                        .contiguous(weight.suggest_memory_format());
  torch::Tensor b = affine.shift;
  if (bias.defined()) b = b + bias.to(torch::kFloat64) * affine.scale;
  return {w, b.to(weight.scalar_type())};
}
}  // namespace

FoldedConv::FoldedConv(const torch::nn::Conv2d& conv, const torch::nn::BatchNorm2d& bn) {
  torch::NoGradGuard no_grad;
  const auto& o = conv->options;
  AU_CHECK(std::holds_alternative<torch::enumtype::kZeros>(o.padding_mode()),
           "only zero-padded convolutions are folded");
  AU_CHECK(bn->options.num_features() == o.out_channels(), "BatchNorm of ",
           bn->options.num_features(), " channels after a convolution of ", o.out_channels());
  torch::Tensor bias;
  std::tie(weight_, bias) = fold(conv->weight, conv->bias, affineOf(bn));
  options_ = torch::nn::functional::Conv2dFuncOptions()
                 .bias(bias)
                 .stride(o.stride())
                 .padding(o.padding())
                 .dilation(o.dilation())
                 .groups(o.groups());
}

torch::Tensor FoldedConv::operator()(const torch::Tensor& x) const {
  return torch::nn::functional::conv2d(x, weight_, options_);
}

FoldedLinear::FoldedLinear(const torch::nn::Linear& linear, const torch::nn::BatchNorm1d& bn) {
  torch::NoGradGuard no_grad;
  AU_CHECK(bn->options.num_features() == linear->options.out_features(), "BatchNorm of ",
           bn->options.num_features(), " features after a linear layer of ",
           linear->options.out_features());
  std::tie(weight_, bias_) = fold(linear->weight, linear->bias, affineOf(bn));
}

torch::Tensor FoldedLinear::operator()(const torch::Tensor& x) const {
  return torch::nn::functional::linear(x, weight_, bias_);
}

void requireEvalWhenFolded(const torch::nn::Module& module, bool folded) {
  if (folded && module.is_training())
    throw UsageError(module.name() +
                     " has its BatchNorm folded for inference and cannot train; load the "
                     "checkpoint again to train");
}

}  // namespace au::model
