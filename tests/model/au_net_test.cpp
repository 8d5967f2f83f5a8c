#include "model/au_net.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "model/model_summary.h"
#include "model/precision.h"
#include "model/state_loading.h"

namespace au::model {
namespace {

ModelOptions small() {
  ModelOptions o;
  o.depth = 18;
  return o;
}

torch::Tensor faces(int n) {
  torch::manual_seed(3);
  return torch::rand({n, 3, 112, 112}) * 2 - 1;
}

TEST(AuNet, EveryAblationConfigurationRunsAndGivesTwelveLogits) {
  struct Case {
    const char* name;
    bool fpn, ssh;
    int ca_shallow, ca_deep, pool;
  };
  const Case cases[] = {
      {"r18 alone", false, false, 0, 0, 7}, {"+coordinate attention", false, false, 1, 4, 7},
      {"+FPN", true, false, 1, 4, 7},       {"+SSH", true, true, 1, 4, 7},
      {"no pooling", true, true, 2, 3, 0},  {"FPN without CA", true, true, 0, 0, 4}};
  for (const auto& c : cases) {
    torch::manual_seed(1);
    ModelOptions o = small();
    o.fpn = c.fpn;
    o.ssh = c.ssh;
    o.coord_att_shallow = c.ca_shallow;
    o.coord_att_deep = c.ca_deep;
    o.fusion_pool = c.pool;
    AuNet net(o);
    net->eval();
    torch::NoGradGuard no_grad;
    const auto logits = net->forward(faces(2));
    EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{2, 12})) << c.name;
    EXPECT_TRUE(torch::isfinite(logits).all().item<bool>()) << c.name;
    const auto state = stateDict(*net);
    EXPECT_EQ(state.count("ca_shallow.conv1.weight"), c.ca_shallow ? 1u : 0u) << c.name;
    EXPECT_EQ(state.count("ssh2.conv7x7_3.0.weight"), c.ssh ? 1u : 0u) << c.name;
    EXPECT_EQ(state.count("fpn.merge1.0.weight"), c.fpn ? 1u : 0u) << c.name;
    EXPECT_EQ(state.count("backbone.fc.weight"), c.fpn ? 0u : 1u) << c.name;
  }
}

TEST(AuNet, FusionFcSizeFollowsPoolingAndWidth) {
  ModelOptions o = small();
  AuNet pooled(o);
  EXPECT_EQ(pooled->fusionParameters(), (3 * 64 * 49) * 512 + 512);  // 4.8M
  o.fusion_pool = 0;
  AuNet full(o);
  EXPECT_EQ(full->fusionParameters(), (64 * (28 * 28 + 14 * 14 + 7 * 7)) * 512 + 512);  // 33.7M
  o.fpn = false;
  o.ssh = false;
  EXPECT_EQ(AuNet(o)->fusionParameters(), 0);
}

TEST(AuNet, InvalidOptionsAreUsageErrors) {
  ModelOptions o = small();
  o.fpn = false;  // ssh stays on
  EXPECT_THROW(AuNet{o}, UsageError);
  o = small();
  o.fpn_width = 30;
  EXPECT_THROW(AuNet{o}, UsageError);
  o = small();
  o.coord_att_deep = o.coord_att_shallow;
  EXPECT_THROW(AuNet{o}, UsageError);
}

TEST(AuNet, DropoutActsInTrainingOnly) {
  AuNet net(small());
  torch::NoGradGuard no_grad;
  const auto x = faces(4);
  net->eval();
  EXPECT_TRUE(torch::equal(net->forward(x), net->forward(x)));
  net->train();
  const auto a = net->forward(x);
  const auto b = net->forward(x);
  EXPECT_FALSE(torch::equal(a, b));
}

TEST(AuNet, Bf16AutocastMatchesFp32Closely) {
  for (int seed : {0, 1, 2}) {
    torch::manual_seed(seed);  // the weights
    ModelOptions options = small();
    options.dropout = 0;
    AuNet net(options);
    // Batch statistics keep activations normalised, as in a trained network; with fresh
    // running statistics (eval mode) the random weights let activations grow layer by layer
    // and bf16 rounding grows with them.
    net->train();
    torch::NoGradGuard no_grad;
    const auto x = faces(4);
    const auto reference = net->features(x);
    torch::Tensor mixed;
    {
      AutocastScope autocast(torch::kCPU, torch::kBFloat16);
      mixed = net->features(x);
      EXPECT_EQ(net->forward(x).scalar_type(), torch::kBFloat16);
    }
    // bf16 keeps 8 mantissa bits: a few per cent of relative error after 18 layers.
    const double error =
        ((mixed.to(torch::kFloat32) - reference).norm() / reference.norm()).item<double>();
    EXPECT_LT(error, 0.05) << "seed " << seed;
    // The scope restored the previous state.
    EXPECT_EQ(net->forward(x).scalar_type(), torch::kFloat32);
  }
}

TEST(AuNet, ChannelsLastGivesTheSameOutputs) {
  torch::manual_seed(4);
  ModelOptions options = small();
  options.dropout = 0;
  AuNet net(options);
  net->train();  // batch statistics keep activations normalised (see the bf16 test)
  torch::NoGradGuard no_grad;
  const auto x = faces(4);
  const auto reference = net->forward(x);
  toChannelsLast(*net);
  EXPECT_TRUE(net->backbone()->named_parameters()["conv1.weight"].is_contiguous(
      at::MemoryFormat::ChannelsLast));
  const auto out = net->forward(x.contiguous(at::MemoryFormat::ChannelsLast));
  // Other convolution kernels: equal up to float rounding.
  EXPECT_LT(((out - reference).norm() / reference.norm()).item<double>(), 1e-4);
}

TEST(AuNet, BackwardReachesEveryTrainableParameter) {
  AuNet net(small());
  net->train();
  net->forward(faces(2)).sum().backward();
  for (const auto& p : net->named_parameters()) {
    if (!p.value().requires_grad()) continue;
    ASSERT_TRUE(p.value().grad().defined()) << p.key() << " got no gradient";
  }
}

TEST(AuNet, SummaryNamesModulesCountsAndShapes) {
  AuNet net(small());
  const std::string text = summarize(net);
  for (const char* part : {"backbone", "ca_shallow", "fpn", "ssh1", "fusion_fc", "au_head", "total",
                           "fusion FC 4817408", "[1, 64, 56, 56]", "[1, 9408]", "[1, 12]"})
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
}

TEST(AuNet, FingerprintNamesTheShapeDefiningOptions) {
  ModelOptions a = small();
  ModelOptions b = a;
  b.dropout = 0.1;
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  b.fpn_width = 128;
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  ModelOptions c = a;
  c.video_reference = true;
  EXPECT_NE(a.fingerprint(), c.fingerprint());
  EXPECT_EQ(a.fingerprint().find("video_reference"),
            std::string::npos);  // older fingerprints stay valid
}

TEST(AuNet, VideoReferenceFeedsTheFrameAndItsDifference) {
  ModelOptions o = small();
  o.width = 16;
  o.video_reference = true;
  torch::manual_seed(1);
  AuNet net(o);
  net->eval();
  const torch::Tensor x = faces(2);
  const torch::Tensor r = torch::zeros_like(x) + 0.25;
  const torch::Tensor in = net->input(x, r);
  ASSERT_EQ(in.sizes(), (std::vector<int64_t>{2, 6, 112, 112}));
  EXPECT_TRUE(torch::equal(in.narrow(1, 0, 3), x));
  EXPECT_TRUE(torch::allclose(in.narrow(1, 3, 3), x - 0.25));
  EXPECT_EQ(net->forward(in).sizes(), (std::vector<int64_t>{2, 12}));
  EXPECT_THROW(net->input(x, torch::Tensor()), Error);  // the reference is required
  // Without the option the frames pass as they are.
  AuNet plain(small());
  EXPECT_TRUE(torch::equal(plain->input(x, torch::Tensor()), x));
}

TEST(AuNet, RgbBackboneWeightsStartAVideoReferenceModelAsThePretrainedOne) {
  ModelOptions rgb = small();
  rgb.width = 16;
  rgb.fpn = rgb.ssh = false;
  ModelOptions six = rgb;
  six.video_reference = true;
  torch::manual_seed(2);
  AuNet a(rgb), b(six);
  a->eval();
  b->eval();
  TensorMap weights;
  for (const auto& [name, t] : stateDict(*a->backbone())) weights[name] = t.detach().clone();
  b->adaptBackboneWeights(weights);
  EXPECT_EQ(weights.at("conv1.weight").size(1), 6);
  loadStateDict(*b->backbone(), weights, LoadMode::kStrict, "", "test");
  // Same backbone output whatever the reference: the difference planes start at zero weight.
  const torch::Tensor x = faces(2);
  const torch::Tensor expected = a->backbone()->forward(x);
  EXPECT_TRUE(torch::allclose(b->backbone()->forward(b->input(x, torch::zeros_like(x))), expected,
                              1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(b->backbone()->forward(b->input(x, x * 0.5)), expected, 1e-5, 1e-6));
}

}  // namespace
}  // namespace au::model
