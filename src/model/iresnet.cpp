#include "model/iresnet.h"

#include <torch/nn/init.h>

#include "common/error.h"

namespace au::model {
namespace nn = torch::nn;

namespace {
constexpr double kBnEps = 1e-5;

nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return nn::Conv2d(
      nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}
nn::BatchNorm2d bn(int64_t channels) {
  return nn::BatchNorm2d(nn::BatchNorm2dOptions(channels).eps(kBnEps));
}
}  // namespace

std::array<int, 4> iresnetLayers(int depth) {
  switch (depth) {
    case 18:
      return {2, 2, 2, 2};
    case 34:
      return {3, 4, 6, 3};
    case 50:
      return {3, 4, 14, 3};
    case 100:
      return {3, 13, 30, 3};
    case 200:
      return {6, 26, 60, 6};
    default:
      AU_THROW(UsageError, "no IResNet of depth ", depth, " (18, 34, 50, 100, 200)");
  }
}

IBasicBlockImpl::IBasicBlockImpl(int64_t inplanes, int64_t planes, int64_t stride) {
  // Registration order and names follow insightface, so state_dict keys match.
  bn1_ = register_module("bn1", bn(inplanes));
  conv1_ = register_module("conv1", conv(inplanes, planes, 3, 1));
  bn2_ = register_module("bn2", bn(planes));
  prelu_ = register_module("prelu", nn::PReLU(nn::PReLUOptions().num_parameters(planes)));
  conv2_ = register_module("conv2", conv(planes, planes, 3, stride));
  bn3_ = register_module("bn3", bn(planes));
  if (stride != 1 || inplanes != planes)
    downsample_ =
        register_module("downsample", ConvBn(conv(inplanes, planes, 1, stride), bn(planes)));
}

torch::Tensor IBasicBlockImpl::forward(const torch::Tensor& x) {
  const bool folded = conv1_bn2_.defined();
  requireEvalWhenFolded(*this, folded);
  torch::Tensor out = folded ? conv2_bn3_(prelu_(conv1_bn2_(bn1_(x))))
                             : bn3_(conv2_(prelu_(bn2_(conv1_(bn1_(x))))));
  return out + (downsample_ ? downsample_->forward(x) : x);
}

void IBasicBlockImpl::foldBatchNorm() {
  conv1_bn2_ = FoldedConv(conv1_, bn2_);
  conv2_bn3_ = FoldedConv(conv2_, bn3_);
  if (downsample_) downsample_->foldBatchNorm();
}

IResNetImpl::IResNetImpl(int depth, bool with_head, int64_t num_features, int64_t width,
                         int64_t in_channels) {
  const auto blocks = iresnetLayers(depth);
  AU_CHECK(width > 0, "IResNet width must be positive, not ", width);
  conv1_ = register_module("conv1", conv(in_channels, width, 3, 1));
  bn1_ = register_module("bn1", bn(width));
  prelu_ = register_module("prelu", nn::PReLU(nn::PReLUOptions().num_parameters(width)));
  const std::array<int64_t, 4> widths = {width, 2 * width, 4 * width, 8 * width};
  int64_t inplanes = width;
  for (size_t s = 0; s < 4; ++s) {
    nn::Sequential stage;
    for (int b = 0; b < blocks[s]; ++b) {
      stage->push_back(IBasicBlock(inplanes, widths[s], b == 0 ? 2 : 1));
      inplanes = widths[s];
    }
    layers_[s] = register_module("layer" + std::to_string(s + 1), stage);
  }
  if (with_head) {
    bn2_ = register_module("bn2", bn(widths[3]));
    dropout_ = register_module("dropout", nn::Dropout(nn::DropoutOptions(0.0)));
    fc_ = register_module("fc", nn::Linear(widths[3] * 7 * 7, num_features));
    features_ = register_module("features",
                                nn::BatchNorm1d(nn::BatchNorm1dOptions(num_features).eps(kBnEps)));
    features_->weight.set_requires_grad(false);  // fixed at 1, as in insightface
  }
  // insightface's initialisation: conv weights N(0, 0.1), BN weight 1 and bias 0.
  torch::NoGradGuard no_grad;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* c = module->as<nn::Conv2d>()) {
      nn::init::normal_(c->weight, 0.0, 0.1);
    } else if (auto* b = module->as<nn::BatchNorm2d>()) {
      nn::init::ones_(b->weight);
      nn::init::zeros_(b->bias);
    }
  }
}

std::array<torch::Tensor, 4> IResNetImpl::stages(
    const torch::Tensor& x, const std::function<torch::Tensor(int, torch::Tensor)>& after_stage) {
  requireEvalWhenFolded(*this, stem_.defined());
  std::array<torch::Tensor, 4> out;
  torch::Tensor h = prelu_(stem_.defined() ? stem_(x) : bn1_(conv1_(x)));
  for (int s = 0; s < 4; ++s) {
    h = layers_[static_cast<size_t>(s)]->forward(h);
    if (after_stage) h = after_stage(s + 1, h);
    out[static_cast<size_t>(s)] = h;
  }
  return out;
}

torch::Tensor IResNetImpl::head(const torch::Tensor& stage4) {
  AU_CHECK(hasHead(), "this IResNet was built without its head");
  const torch::Tensor flat = dropout_(torch::flatten(bn2_(stage4), 1));
  return fc_features_.defined() ? fc_features_(flat) : features_(fc_(flat));
}

void IResNetImpl::foldBatchNorm() {
  stem_ = FoldedConv(conv1_, bn1_);
  for (auto& stage : layers_)
    for (const auto& block : stage->children()) block->as<IBasicBlockImpl>()->foldBatchNorm();
  if (hasHead()) fc_features_ = FoldedLinear(fc_, features_);
}

torch::Tensor IResNetImpl::forward(const torch::Tensor& x) { return head(stages(x)[3]); }

}  // namespace au::model
