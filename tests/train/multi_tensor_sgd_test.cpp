#include "train/multi_tensor_sgd.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"

namespace au::train {
namespace {

using torch::optim::SGDOptions;

// Float tolerance between the two optimisers: 1e-6 relative, with 1e-7 absolute for elements
// near zero. On the CPU the `_foreach_` operations run the same kernels one tensor at a time,
// so the results are in fact bitwise equal.
bool close(const torch::Tensor& a, const torch::Tensor& b) {
  return a.sizes() == b.sizes() && torch::allclose(a, b, /*rtol=*/1e-6, /*atol=*/1e-7);
}

// A few layers; `late` gets gradients only from the third step (its momentum buffers start
// while the others' already run) and `frozen` never does (skipped, no state). `wide` is large
// enough that the CPU step splits the parameters into several lists.
struct NetImpl : torch::nn::Module {
  torch::nn::Conv2d conv{
      register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3)))};
  torch::nn::Linear wide{register_module("wide", torch::nn::Linear(300, 300))};
  torch::nn::Linear fc{register_module("fc", torch::nn::Linear(16, 8))};
  torch::nn::Linear late{register_module("late", torch::nn::Linear(8, 3))};
  torch::nn::Linear frozen{register_module("frozen", torch::nn::Linear(3, 2))};
};
TORCH_MODULE(Net);

// Two nets with the same weights.
std::pair<Net, Net> twins(torch::Device device = torch::kCPU) {
  torch::manual_seed(3);
  Net a;
  torch::manual_seed(3);
  Net b;
  a->to(device);
  b->to(device);
  return {a, b};
}

bool getsGradient(const std::string& name, int step) {
  if (name.rfind("frozen.", 0) == 0) return false;
  if (name.rfind("late.", 0) == 0) return step >= 2;
  return true;
}

// The same random gradients on both nets for `step`, and the learning rate the trainer would
// set by mutating the group options (it changes at every step).
void prepareStep(Net& a, Net& b, torch::optim::Optimizer& opt_a, torch::optim::Optimizer& opt_b,
                 int step, double base_lr) {
  torch::manual_seed(100 + step);
  const auto pa = a->named_parameters();
  const auto pb = b->named_parameters();
  for (const auto& item : pa) {
    torch::Tensor p_a = item.value();
    torch::Tensor p_b = pb[item.key()];
    p_a.mutable_grad() = torch::Tensor();
    p_b.mutable_grad() = torch::Tensor();
    if (!getsGradient(item.key(), step)) continue;
    const torch::Tensor g = torch::randn_like(p_a);
    p_a.mutable_grad() = g.clone();
    p_b.mutable_grad() = g.clone();
  }
  const double lr = base_lr * (1.0 + 0.5 * step);
  for (auto* opt : {&opt_a, &opt_b})
    for (auto& group : opt->param_groups()) static_cast<SGDOptions&>(group.options()).lr(lr);
}

torch::Tensor momentumBuffer(torch::optim::Optimizer& opt, const torch::Tensor& p) {
  const auto found = opt.state().find(p.unsafeGetTensorImpl());
  if (found == opt.state().end()) return {};
  return static_cast<torch::optim::SGDParamState&>(*found->second).momentum_buffer();
}

// Same weights, same momentum buffers (or none on both), gradients left as they were set.
void expectSame(Net& a, Net& b, torch::optim::Optimizer& opt_a, torch::optim::Optimizer& opt_b,
                const std::string& when) {
  const auto pb = b->named_parameters();
  for (const auto& item : a->named_parameters()) {
    const torch::Tensor& p_a = item.value();
    const torch::Tensor& p_b = pb[item.key()];
    EXPECT_TRUE(close(p_a, p_b)) << item.key() << " " << when;
    if (p_a.grad().defined() && p_b.grad().defined()) {
      EXPECT_TRUE(torch::equal(p_a.grad(), p_b.grad())) << item.key() << " " << when;
    }
    const torch::Tensor buf_a = momentumBuffer(opt_a, p_a);
    const torch::Tensor buf_b = momentumBuffer(opt_b, p_b);
    ASSERT_EQ(buf_a.defined(), buf_b.defined()) << item.key() << " " << when;
    if (buf_a.defined()) {
      EXPECT_TRUE(close(buf_a, buf_b)) << item.key() << " " << when;
    }
  }
}

void expectSameSteps(const SGDOptions& options, torch::Device device = torch::kCPU, int steps = 5) {
  auto [a, b] = twins(device);
  const auto frozen_before = a->frozen->weight.clone();
  torch::optim::SGD reference(a->parameters(), options);
  MultiTensorSgd fast(b->parameters(), options);
  for (int step = 0; step < steps; ++step) {
    prepareStep(a, b, reference, fast, step, options.lr());
    reference.step();
    fast.step();
    expectSame(a, b, reference, fast, "after step " + std::to_string(step));
  }
  EXPECT_TRUE(torch::equal(b->frozen->weight, frozen_before))
      << "a parameter without a gradient moved";
  EXPECT_FALSE(momentumBuffer(fast, b->frozen->weight).defined())
      << "a parameter without a gradient got state";
  EXPECT_EQ(momentumBuffer(fast, b->late->weight).defined(), options.momentum() != 0);
}

TEST(MultiTensorSgd, MatchesSgdWithMomentumAndWeightDecay) {
  expectSameSteps(SGDOptions(0.01).momentum(0.9).weight_decay(5e-4));
}

TEST(MultiTensorSgd, MatchesSgdWithDampening) {
  expectSameSteps(SGDOptions(0.01).momentum(0.9).dampening(0.3).weight_decay(1e-3));
}

TEST(MultiTensorSgd, MatchesSgdWithNesterov) {
  expectSameSteps(SGDOptions(0.01).momentum(0.9).nesterov(true).weight_decay(5e-4));
  // Without weight decay d_p is the gradient itself, which must not be written into.
  expectSameSteps(SGDOptions(0.01).momentum(0.8).nesterov(true));
}

TEST(MultiTensorSgd, MatchesSgdWithFewerOptions) {
  expectSameSteps(SGDOptions(0.05));
  expectSameSteps(SGDOptions(0.05).weight_decay(1e-2));
  expectSameSteps(SGDOptions(0.05).momentum(0.9));
}

// On a GPU the `_foreach_` operations are fused kernels, not the per-tensor ones.
TEST(MultiTensorSgd, MatchesSgdOnCuda) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  const torch::Device cuda(torch::kCUDA, 0);
  expectSameSteps(SGDOptions(0.01).momentum(0.9).weight_decay(5e-4), cuda);
  expectSameSteps(SGDOptions(0.01).momentum(0.9).dampening(0.3).weight_decay(1e-3), cuda);
  expectSameSteps(SGDOptions(0.01).momentum(0.9).nesterov(true).weight_decay(5e-4), cuda);
  expectSameSteps(SGDOptions(0.01).momentum(0.8).nesterov(true), cuda);
  expectSameSteps(SGDOptions(0.05).weight_decay(1e-2), cuda);
}

TEST(MultiTensorSgd, UsesEachGroupsOptions) {
  auto [a, b] = twins();
  const auto groups = [](Net& net) {
    std::vector<torch::Tensor> first = net->conv->parameters(), second = net->fc->parameters();
    for (auto& p : net->late->parameters()) second.push_back(p);
    for (auto& p : net->frozen->parameters()) second.push_back(p);
    return std::vector<torch::optim::OptimizerParamGroup>{
        torch::optim::OptimizerParamGroup(first),
        torch::optim::OptimizerParamGroup(
            second, std::make_unique<SGDOptions>(SGDOptions(0.02).momentum(0.5).dampening(0.1)))};
  };
  const SGDOptions defaults = SGDOptions(0.01).momentum(0.9).weight_decay(5e-4);
  torch::optim::SGD reference(groups(a), defaults);
  MultiTensorSgd fast(groups(b), defaults);
  for (int step = 0; step < 4; ++step) {
    prepareStep(a, b, reference, fast, step, 0.01);
    // The second group keeps its own, different learning rate.
    for (auto* opt : std::vector<torch::optim::Optimizer*>{&reference, &fast})
      static_cast<SGDOptions&>(opt->param_groups()[1].options()).lr(0.02 / (1 + step));
    reference.step();
    fast.step();
    expectSame(a, b, reference, fast, "after step " + std::to_string(step));
  }
}

// The two optimisers write and read the same archive (the checkpoint's optimiser part).
template <typename From, typename To>
void expectRoundTrip() {
  const SGDOptions options = SGDOptions(0.01).momentum(0.9).weight_decay(5e-4);
  auto [a, b] = twins();
  From saver(a->parameters(), options);
  To reference(b->parameters(), options);
  for (int step = 0; step < 3; ++step) {
    prepareStep(a, b, saver, reference, step, 0.01);
    saver.step();
    reference.step();
  }
  torch::serialize::OutputArchive out;
  saver.save(out);
  std::stringstream bytes;
  out.save_to(bytes);

  Net c = twins().first;
  {
    torch::NoGradGuard no_grad;
    for (auto& item : c->named_parameters()) item.value().copy_(a->named_parameters()[item.key()]);
  }
  To loader(c->parameters(), SGDOptions(0.5));  // options come from the archive
  torch::serialize::InputArchive in;
  in.load_from(bytes);
  loader.load(in);
  EXPECT_DOUBLE_EQ(static_cast<SGDOptions&>(loader.param_groups()[0].options()).momentum(), 0.9);
  expectSame(b, c, reference, loader, "after load");
  for (int step = 3; step < 6; ++step) {
    prepareStep(b, c, reference, loader, step, 0.01);
    reference.step();
    loader.step();
    expectSame(b, c, reference, loader, "after step " + std::to_string(step) + " since the load");
  }
}

TEST(MultiTensorSgd, LoadsWhatSgdSaved) { expectRoundTrip<torch::optim::SGD, MultiTensorSgd>(); }

TEST(MultiTensorSgd, SavesWhatSgdLoads) { expectRoundTrip<MultiTensorSgd, torch::optim::SGD>(); }

TEST(MultiTensorSgd, RefusesSparseGradients) {
  torch::Tensor p = torch::zeros({4, 2}, torch::requires_grad());
  p.mutable_grad() = torch::eye(4).narrow(1, 0, 2).to_sparse();
  MultiTensorSgd sgd(std::vector<torch::Tensor>{p}, SGDOptions(0.1).momentum(0.9));
  EXPECT_THROW(sgd.step(), Error);
}

}  // namespace
}  // namespace au::train
