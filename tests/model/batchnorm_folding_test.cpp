#include "model/batchnorm_folding.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.h"
#include "model/au_net.h"
#include "model/precision.h"
#include "model/state_loading.h"

namespace au::model {
namespace {
namespace nn = torch::nn;

double relativeError(const torch::Tensor& got, const torch::Tensor& want) {
  return ((got.to(torch::kFloat64) - want.to(torch::kFloat64)).norm() /
          want.to(torch::kFloat64).norm())
      .item<double>();
}

// BN statistics and affine parameters far from the initial identity, so folding has work to do.
void randomiseBatchNorms(nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& m : module.modules()) {
    auto randomise = [](auto* bn) {
      bn->running_mean.normal_(0, 0.3);
      bn->running_var.uniform_(0.5, 2.0);
      if (bn->weight.defined()) bn->weight.uniform_(0.5, 1.5);
      if (bn->bias.defined()) bn->bias.normal_(0, 0.2);
    };
    if (auto* bn2 = m->as<nn::BatchNorm2d>()) randomise(bn2);
    if (auto* bn1 = m->as<nn::BatchNorm1d>()) randomise(bn1);
  }
}

TEST(FoldedConv, EqualsTheConvolutionThenItsBatchNorm) {
  torch::manual_seed(1);
  struct Case {
    int64_t kernel, stride;
    bool bias;
  };
  for (const Case c : {Case{3, 1, false}, Case{3, 2, false}, Case{1, 2, false}, Case{1, 1, true}}) {
    nn::Conv2d conv(
        nn::Conv2dOptions(8, 16, c.kernel).stride(c.stride).padding(c.kernel / 2).bias(c.bias));
    nn::BatchNorm2d bn(16);
    randomiseBatchNorms(*bn);
    bn->eval();
    torch::NoGradGuard no_grad;
    const auto x = torch::randn({2, 8, 14, 14});
    const auto want = bn(conv(x));
    const auto got = FoldedConv(conv, bn)(x);
    ASSERT_EQ(got.sizes(), want.sizes());
    EXPECT_LT(relativeError(got, want), 1e-6) << "kernel " << c.kernel << " stride " << c.stride;
  }
}

TEST(FoldedConv, TakesTheBatchNormsEpsilonAndWorksWithoutItsAffineParameters) {
  torch::manual_seed(6);
  nn::Conv2d conv(nn::Conv2dOptions(4, 6, 3).padding(1).bias(false));
  nn::BatchNorm2d bn(nn::BatchNorm2dOptions(6).eps(0.5).affine(false));
  randomiseBatchNorms(*bn);
  bn->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 4, 9, 9});
  EXPECT_LT(relativeError(FoldedConv(conv, bn)(x), bn(conv(x))), 1e-6);
}

TEST(FoldedLinear, EqualsTheLinearLayerThenItsBatchNorm) {
  torch::manual_seed(2);
  nn::Linear linear(32, 24);
  nn::BatchNorm1d bn(24);
  randomiseBatchNorms(*bn);
  bn->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({5, 32});
  EXPECT_LT(relativeError(FoldedLinear(linear, bn)(x), bn(linear(x))), 1e-6);
}

TEST(FoldedConv, RefusesABatchNormInTrainingModeOrOfAnotherWidth) {
  nn::Conv2d conv(nn::Conv2dOptions(4, 8, 3).padding(1).bias(false));
  nn::BatchNorm2d training(8);
  EXPECT_THROW(FoldedConv(conv, training), Error);
  nn::BatchNorm2d other(6);
  other->eval();
  EXPECT_THROW(FoldedConv(conv, other), Error);
}

// Every ablation switch, the paper's model among them, and a video-reference stem of 6 planes.
std::vector<std::pair<std::string, ModelOptions>> configurations() {
  std::vector<std::pair<std::string, ModelOptions>> out;
  ModelOptions paper;
  paper.depth = 18;
  paper.width = 32;
  paper.fpn_width = 32;
  out.emplace_back("r18 + CA + FPN + SSH", paper);
  ModelOptions plain = paper;
  plain.fpn = plain.ssh = false;
  plain.coord_att_shallow = plain.coord_att_deep = 0;
  out.emplace_back("r18 with its face-recognition head", plain);
  ModelOptions reference = paper;
  reference.video_reference = true;
  out.emplace_back("video reference", reference);
  return out;
}

// The model's logits in float64: the truth both float32 paths are rounded from. A random
// network in eval mode amplifies rounding (its activations grow layer by layer), so folding is
// judged by how far it moves the float32 result from this, against how far float32 already is.
torch::Tensor float64Logits(AuNet& net, const torch::Tensor& x) {
  net->to(torch::kFloat64);
  const auto logits = net->forward(x.to(torch::kFloat64));
  net->to(torch::kFloat32);  // float32 -> float64 -> float32 is exact
  return logits;
}

TEST(AuNetFolding, AddsNoMoreThanFloatRoundingInEveryConfiguration) {
  for (const auto& [name, options] : configurations()) {
    torch::manual_seed(3);
    AuNet net(options);
    randomiseBatchNorms(*net);
    net->eval();
    torch::NoGradGuard no_grad;
    const auto x = torch::rand({3, options.video_reference ? 6 : 3, 112, 112}) * 2 - 1;
    const auto truth = float64Logits(net, x);
    const auto unfolded = net->forward(x);
    net->foldBatchNorm();
    EXPECT_TRUE(net->batchNormFolded());
    const auto folded = net->forward(x);
    const double rounding = relativeError(unfolded, truth);
    const double error = relativeError(folded, truth);
    EXPECT_LT(error, 3 * rounding + 1e-6) << name << ": float32 alone is off by " << rounding;
    EXPECT_LT(error, 1e-4) << name;
    EXPECT_FALSE(torch::equal(folded, unfolded)) << name << ": folding ran the same arithmetic";
  }
}

TEST(AuNetFolding, LeavesParametersAndBuffersAsTheyWere) {
  torch::manual_seed(4);
  AuNet net(configurations()[0].second);
  randomiseBatchNorms(*net);
  net->eval();
  std::map<std::string, torch::Tensor> before;
  for (const auto& [key, value] : stateDict(*net)) before[key] = value.clone();
  net->foldBatchNorm();
  const auto after = stateDict(*net);
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [key, value] : after) {
    ASSERT_TRUE(before.count(key)) << key;
    EXPECT_TRUE(torch::equal(value, before[key])) << key;
  }
}

TEST(AuNetFolding, RefusesToTrainToMoveAndToFoldInTrainingMode) {
  AuNet net(configurations()[0].second);
  net->train();
  EXPECT_THROW(net->foldBatchNorm(), Error);
  net->eval();
  net->foldBatchNorm();
  EXPECT_THROW(net->to(torch::kFloat64), UsageError);
  EXPECT_THROW(net->to(torch::Device(torch::kCPU)), UsageError);
  net->train();
  EXPECT_THROW(net->forward(torch::zeros({2, 3, 112, 112})), UsageError);
}

TEST(AuNetFolding, FoldsChannelsLastWeightsWithinTheirOwnRounding) {
  torch::manual_seed(5);
  AuNet net(configurations()[0].second);
  randomiseBatchNorms(*net);
  net->eval();
  torch::NoGradGuard no_grad;
  const auto x = torch::rand({2, 3, 112, 112}) * 2 - 1;
  const auto truth = float64Logits(net, x);
  toChannelsLast(*net);
  const auto x_last = x.contiguous(at::MemoryFormat::ChannelsLast);
  const double rounding = relativeError(net->forward(x_last), truth);  // other kernels' rounding
  net->foldBatchNorm();
  const auto got = net->forward(x_last);
  EXPECT_LT(relativeError(got, truth), 3 * rounding + 1e-6) << "float32 alone: " << rounding;
}

}  // namespace
}  // namespace au::model
