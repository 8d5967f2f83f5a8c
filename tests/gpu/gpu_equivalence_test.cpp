// The GPU path against the CPU path: the same augmentation, training step, checkpoint and
// captured step give the same numbers on cuda:0 as on the CPU (within the stated tolerances).
// Compiled in every build; the CUDA tests skip where no GPU is (they run in the device check,
// jobs/device/gpu_check.sh). fp32 comparisons turn TF32 off: TF32 keeps 10 mantissa bits.
#include <ATen/Context.h>
#include <gtest/gtest.h>
#include <torch/optim/sgd.h>
#include <torch/torch.h>

#include <filesystem>
#include <optional>
#include <utility>

#include "data/augment.h"
#include "model/au_net.h"
#include "model/graphed_step.h"
#include "model/precision.h"
#include "train/au_loss.h"
#include "train/checkpoint.h"

namespace au::train {
namespace {

bool haveGpu() { return torch::cuda::is_available(); }
const torch::Device kGpu(torch::kCUDA, 0);

model::ModelOptions small() {
  model::ModelOptions o;
  o.depth = 18;
  o.width = 16;
  o.fpn_width = 16;
  o.dropout = 0;  // dropout masks differ between devices
  return o;
}

void exactFp32() {
  at::globalContext().setAllowTF32CuBLAS(false);
  at::globalContext().setAllowTF32CuDNN(false);
}

// The largest difference over all the tensors, relative to the largest magnitude among them.
// A per-tensor ratio would be ruled by tensors whose true gradient is zero (a convolution's bias
// before BatchNorm): they hold only rounding noise, which differs between devices.
double modelError(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double diff = 0, scale = 1e-12;
  for (size_t i = 0; i < b.size(); ++i) {
    if (!b[i].is_floating_point()) continue;
    const auto x = a[i].detach().cpu().to(torch::kFloat64),
               y = b[i].detach().cpu().to(torch::kFloat64);
    diff = std::max(diff, (x - y).abs().max().item<double>());
    scale = std::max(scale, y.abs().max().item<double>());
  }
  return diff / scale;
}

// Integer buffers (BatchNorm's step counts) must agree exactly.
void expectEqualIntegers(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  for (size_t i = 0; i < b.size(); ++i)
    if (!b[i].is_floating_point()) {
      EXPECT_TRUE(torch::equal(a[i].cpu(), b[i].cpu())) << "buffer " << i;
    }
}

// `to` gets `from`'s weights (any devices).
void copyWeights(model::AuNet& from, model::AuNet& to) {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < from->parameters().size(); ++i)
    to->parameters()[i].copy_(from->parameters()[i]);
}

// Two models with the same initial weights, on the GPU, in training mode.
std::pair<model::AuNet, model::AuNet> gpuTwins(const model::ModelOptions& options) {
  torch::manual_seed(0);
  model::AuNet a(options), b(options);
  copyWeights(a, b);
  for (auto* net : {&a, &b}) {
    (*net)->to(kGpu);
    (*net)->train();
  }
  return {a, b};
}

// Weights and BatchNorm statistics agree to 1e-4 of the largest; step counts exactly.
void expectSameModels(model::AuNet& a, model::AuNet& b) {
  EXPECT_LT(modelError(a->parameters(), b->parameters()), 1e-4);
  EXPECT_LT(modelError(a->buffers(), b->buffers()), 1e-4);
  expectEqualIntegers(a->buffers(), b->buffers());
}

// One SGD step (momentum, weight decay) of the AU loss on a fixed batch; returns the loss.
double trainStep(model::AuNet& net, torch::optim::SGD& sgd, const torch::Tensor& x,
                 const torch::Tensor& labels, std::optional<torch::Dtype> autocast = std::nullopt) {
  sgd.zero_grad(true);
  torch::Tensor loss;
  {
    std::optional<model::AutocastScope> scope;
    if (autocast) scope.emplace(x.device().type(), *autocast);
    loss = auLoss(net->forward(x), labels, LossOptions{}).total;
  }
  loss.backward();
  sgd.step();
  return loss.item<double>();
}

struct Batch {
  torch::Tensor x, labels;
};
Batch randomBatch(int n) {
  torch::manual_seed(7);
  return {torch::rand({n, 3, 112, 112}) * 2 - 1, torch::randint(0, 2, {n, 12}).to(torch::kFloat32)};
}

torch::optim::SGD sgdFor(model::AuNet& net) {
  return torch::optim::SGD(net->parameters(),
                           torch::optim::SGDOptions(0.01).momentum(0.9).weight_decay(5e-4));
}

TEST(GpuEquivalence, AugmentationOnGpuEqualsCpu) {
  if (!haveGpu()) GTEST_SKIP() << "no CUDA GPU here";
  torch::manual_seed(3);
  const torch::Tensor images = torch::randint(0, 256, {16, 112, 112, 3}, torch::kUInt8);
  data::AugmentOptions options;
  options.jitter_probability = 1.0;  // every jitter on every sample
  std::vector<data::SampleAugment> draws;
  for (int i = 0; i < 16; ++i) draws.push_back(data::drawAugment(options, 11, 0, i));
  const torch::Tensor cpu = data::augmentImages(images, draws);
  const torch::Tensor gpu = data::augmentImages(images.to(kGpu), draws);
  ASSERT_TRUE(gpu.is_cuda());
  // Values in [-1, 1]; HSV round trips in fp32 differ in the last bits between devices.
  EXPECT_LT((gpu.cpu() - cpu).abs().max().item<double>(), 1e-4);
}

TEST(GpuEquivalence, TrainingStepOnGpuEqualsCpuInFp32) {
  if (!haveGpu()) GTEST_SKIP() << "no CUDA GPU here";
  exactFp32();
  const Batch b = randomBatch(8);
  torch::manual_seed(0);
  model::AuNet cpu_net(small());
  model::AuNet gpu_net(small());
  copyWeights(cpu_net, gpu_net);
  gpu_net->to(kGpu);
  auto cpu_sgd = sgdFor(cpu_net);
  auto gpu_sgd = sgdFor(gpu_net);
  cpu_net->train();
  gpu_net->train();
  for (int step = 0; step < 3; ++step) {
    const double cpu_loss = trainStep(cpu_net, cpu_sgd, b.x, b.labels);
    const double gpu_loss = trainStep(gpu_net, gpu_sgd, b.x.to(kGpu), b.labels.to(kGpu));
    EXPECT_NEAR(gpu_loss, cpu_loss, 1e-4 * std::abs(cpu_loss)) << "step " << step;
  }
  // Tolerance: three steps of fp32 sums in other orders (cuDNN vs oneDNN).
  expectSameModels(gpu_net, cpu_net);
}

TEST(GpuEquivalence, Bf16ChannelsLastTrainsLikeFp32) {
  if (!haveGpu()) GTEST_SKIP() << "no CUDA GPU here";
  const Batch b = randomBatch(16);
  torch::manual_seed(0);
  model::AuNet fp32_net(small());
  fp32_net->to(kGpu);
  model::AuNet bf16_net(small());
  copyWeights(fp32_net, bf16_net);
  bf16_net->to(kGpu);
  model::toChannelsLast(*bf16_net);
  const torch::Tensor x = b.x.to(kGpu), x_nhwc = x.contiguous(torch::MemoryFormat::ChannelsLast);
  const torch::Tensor labels = b.labels.to(kGpu);
  auto fp32_sgd = sgdFor(fp32_net);
  auto bf16_sgd = sgdFor(bf16_net);
  fp32_net->train();
  bf16_net->train();
  const double fp32_first = trainStep(fp32_net, fp32_sgd, x, labels);
  const double bf16_first = trainStep(bf16_net, bf16_sgd, x_nhwc, labels, torch::kBFloat16);
  // bf16 keeps 8 mantissa bits: the first loss within 2%.
  EXPECT_NEAR(bf16_first, fp32_first, 0.02 * fp32_first);
  double last = bf16_first;
  for (int step = 0; step < 30; ++step)
    last = trainStep(bf16_net, bf16_sgd, x_nhwc, labels, torch::kBFloat16);
  EXPECT_LT(last, 0.5 * bf16_first) << "bf16 channels_last training does not fit one batch";
  for (const auto& p : bf16_net->parameters()) ASSERT_TRUE(torch::isfinite(p).all().item<bool>());
}

TEST(GpuEquivalence, CheckpointSavedOnGpuLoadsOnCpuAndBack) {
  if (!haveGpu()) GTEST_SKIP() << "no CUDA GPU here";
  const Batch b = randomBatch(4);
  torch::manual_seed(0);
  model::AuNet gpu_net(small());
  gpu_net->to(kGpu);
  auto gpu_sgd = sgdFor(gpu_net);
  gpu_net->train();
  trainStep(gpu_net, gpu_sgd, b.x.to(kGpu), b.labels.to(kGpu));
  const std::string path =
      (std::filesystem::temp_directory_path() / "au_gpu_checkpoint.pt").string();
  TrainingState state;
  state.epoch = 2;
  state.step = 17;
  saveCheckpoint(path, gpu_net, &gpu_sgd, state);

  model::AuNet cpu_net(small());
  auto cpu_sgd = sgdFor(cpu_net);
  const TrainingState loaded = loadCheckpoint(path, cpu_net, &cpu_sgd, torch::kCPU);
  EXPECT_EQ(loaded.step, 17);
  for (size_t i = 0; i < gpu_net->parameters().size(); ++i) {
    ASSERT_FALSE(cpu_net->parameters()[i].is_cuda());
    EXPECT_TRUE(torch::equal(cpu_net->parameters()[i], gpu_net->parameters()[i].cpu()));
  }
  // Momentum buffers came along, on the CPU: the next steps agree on both devices.
  exactFp32();
  model::AuNet back(small());
  back->to(kGpu);
  auto back_sgd = sgdFor(back);
  loadCheckpoint(path, back, &back_sgd, kGpu);
  back->train();
  cpu_net->train();
  const double cpu_loss = trainStep(cpu_net, cpu_sgd, b.x, b.labels);
  const double gpu_loss = trainStep(back, back_sgd, b.x.to(kGpu), b.labels.to(kGpu));
  EXPECT_NEAR(gpu_loss, cpu_loss, 1e-4 * std::abs(cpu_loss));
  EXPECT_LT(modelError(back->parameters(), cpu_net->parameters()), 1e-4);
  std::filesystem::remove(path);
}

// The captured step replays the same computation: weights after warm-up + N replays equal
// weights after the same number of eager steps.
TEST(GpuEquivalence, GraphedStepEqualsEagerSteps) {
  if (!haveGpu()) GTEST_SKIP() << "no CUDA GPU here";
  exactFp32();
  const Batch b = randomBatch(8);
  const torch::Tensor x = b.x.to(kGpu), labels = b.labels.to(kGpu);
  const torch::Tensor weights = auWeights(LossOptions{}, kGpu);
  auto twins = gpuTwins(small());  // named references: lambdas below capture them (C++17)
  model::AuNet& eager = twins.first;
  model::AuNet& graphed = twins.second;
  auto eager_sgd = sgdFor(eager);
  auto graphed_sgd = sgdFor(graphed);
  model::GraphedStep step(
      [&] {
        graphed_sgd.zero_grad(true);
        auLoss(graphed->forward(x), labels, LossOptions{}, nullptr, weights).total.backward();
        graphed_sgd.step();
      },
      kGpu, /*warmup=*/3);
  ASSERT_TRUE(step.captured()) << step.whyEager();
  for (int i = 0; i < 4; ++i) step.run();
  for (int i = 0; i < 3 + 4; ++i) trainStep(eager, eager_sgd, x, labels);
  torch::cuda::synchronize();
  expectSameModels(graphed, eager);  // BatchNorm statistics advanced once per step too
}

// As au_train runs it: forward and backward captured, the optimiser step eager, the generator
// seeded before every step and again after the capture, BatchNorm put back after the warm-up.
// With dropout, replays must draw the masks eager steps draw.
TEST(GpuEquivalence, GraphedForwardBackwardWithDropoutEqualsEager) {
  if (!haveGpu()) GTEST_SKIP() << "no CUDA GPU here";
  exactFp32();
  const Batch b = randomBatch(8);
  const torch::Tensor x = b.x.to(kGpu), labels = b.labels.to(kGpu);
  const torch::Tensor weights = auWeights(LossOptions{}, kGpu);
  model::ModelOptions options = small();
  options.dropout = 0.5;
  auto twins = gpuTwins(options);  // named references: lambdas below capture them (C++17)
  model::AuNet& eager = twins.first;
  model::AuNet& graphed = twins.second;
  auto eager_sgd = sgdFor(eager);
  auto graphed_sgd = sgdFor(graphed);
  const auto forwardBackward = [&](model::AuNet& net, torch::optim::SGD& sgd) {
    sgd.zero_grad(true);
    auLoss(net->forward(x), labels, LossOptions{}, nullptr, weights).total.backward();
  };
  std::vector<torch::Tensor> buffers;
  for (const auto& t : graphed->buffers()) buffers.push_back(t.clone());
  torch::manual_seed(100);
  model::GraphedStep step([&] { forwardBackward(graphed, graphed_sgd); }, kGpu, /*warmup=*/1);
  ASSERT_TRUE(step.captured()) << step.whyEager();
  {
    torch::NoGradGuard restore;
    for (size_t i = 0; i < buffers.size(); ++i) graphed->buffers()[i].copy_(buffers[i]);
  }
  for (int i = 0; i < 4; ++i) {
    torch::manual_seed(100 + i);
    step.run();
    graphed_sgd.step();
    torch::manual_seed(100 + i);
    forwardBackward(eager, eager_sgd);
    eager_sgd.step();
  }
  torch::cuda::synchronize();
  expectSameModels(graphed, eager);
}

// A step that waits on the host cannot be captured: it runs eagerly, and the GPU stays usable.
TEST(GpuEquivalence, FailedCaptureFallsBackToEager) {
  if (!haveGpu()) GTEST_SKIP() << "no CUDA GPU here";
  torch::Tensor t = torch::ones({4}, kGpu);
  int calls = 0;
  model::GraphedStep step(
      [&] {
        ++calls;
        t.add_(1);
        (void)t.sum().item<float>();  // a copy to the host: not allowed while capturing
      },
      kGpu, /*warmup=*/1);
  EXPECT_FALSE(step.captured());
  EXPECT_NE(step.whyEager().find("capture failed"), std::string::npos) << step.whyEager();
  step.run();
  EXPECT_EQ(calls, 3);  // warm-up, the failed capture, run()
  // The warm-up's and run()'s additions happened; the failed capture's did not.
  EXPECT_EQ(t.cpu()[0].item<float>(), 3.0f);
  EXPECT_EQ(torch::ones({1}, kGpu).sum().item<float>(), 1.0f);
  model::GraphedStep after([&] { t.mul_(2); }, kGpu, 1);
  EXPECT_TRUE(after.captured()) << after.whyEager();
}

TEST(GraphedStep, OnTheCpuRunsTheStepEagerlyAndSaysWhy) {
  int calls = 0;
  model::GraphedStep step([&] { ++calls; }, torch::kCPU, 3);
  EXPECT_FALSE(step.captured());
  EXPECT_FALSE(step.whyEager().empty());
  EXPECT_EQ(calls, 0);  // no warm-up on the CPU: every call is a real step
  step.run();
  step.run();
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace au::train
