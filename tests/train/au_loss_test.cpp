#include "train/au_loss.h"

#include <gtest/gtest.h>

#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include <cmath>

namespace au::train {
namespace {
namespace F = torch::nn::functional;

LossOptions plain(std::vector<double> weights, double eps = 0) {
  LossOptions o;
  o.au_weights = std::move(weights);
  o.label_smoothing = eps;
  return o;
}

double logSigmoid(double x) { return -std::log1p(std::exp(-x)); }

TEST(AuLoss, HandComputedTwoByTwo) {
  // logits [[0, 2], [-1, 0.5]], labels [[1, 0], [0, 1]], weights [1, 3], no smoothing.
  const auto logits = torch::tensor({{0.0, 2.0}, {-1.0, 0.5}});
  const auto labels = torch::tensor({{1, 0}, {0, 1}}, torch::kInt8);
  const double e00 = -1 * logSigmoid(0.0);   // positive, weight 1
  const double e01 = -3 * logSigmoid(-2.0);  // negative, weight 3
  const double e10 = -1 * logSigmoid(1.0);   // negative: log s(-x) with x = -1
  const double e11 = -3 * logSigmoid(0.5);
  const auto terms = auLoss(logits, labels, plain({1, 3}));
  EXPECT_NEAR(terms.bce.item<double>(), (e00 + e01 + e10 + e11) / 4, 1e-6);
  EXPECT_NEAR(terms.multilabel.item<double>(), ((e00 + e01) / 2 + (e10 + e11) / 2) / 2, 1e-6);
  EXPECT_NEAR(terms.total.item<double>(),
              terms.bce.item<double>() + terms.multilabel.item<double>(), 1e-6);
}

TEST(AuLoss, EqualsLibTorchLossesWhenEverythingIsLabelled) {
  torch::manual_seed(1);
  const auto logits = torch::randn({16, 12}) * 3;
  const auto labels = (torch::rand({16, 12}) > 0.7).to(torch::kInt8);
  const LossOptions options = plain({1, 2, 1, 1, 1, 1, 1, 6, 6, 5, 1, 5});
  const auto weight = torch::tensor(options.au_weights).to(torch::kFloat32);
  const auto y = labels.to(torch::kFloat32);
  const auto terms = auLoss(logits, labels, options);
  EXPECT_NEAR(terms.bce.item<double>(),
              F::binary_cross_entropy_with_logits(
                  logits, y, F::BinaryCrossEntropyWithLogitsFuncOptions().weight(weight))
                  .item<double>(),
              1e-5);
  EXPECT_NEAR(terms.multilabel.item<double>(),
              F::multilabel_soft_margin_loss(
                  logits, y, F::MultilabelSoftMarginLossFuncOptions().weight(weight))
                  .item<double>(),
              1e-5);
  // pos_weight is not what the paper's W means: it would scale only the positive term.
  EXPECT_GT(std::abs(terms.bce.item<double>() -
                     F::binary_cross_entropy_with_logits(
                         logits, y, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(weight))
                         .item<double>()),
            1e-3);
}

TEST(AuLoss, UnknownEntriesContributeNothingAndLeaveTheMeans) {
  torch::manual_seed(2);
  const auto logits = torch::randn({4, 3});
  auto labels = torch::tensor({{1, 0, -1}, {-1, -1, -1}, {0, 1, 1}, {1, -1, 0}}, torch::kInt8);
  const LossOptions options = plain({1, 1, 1});
  const auto terms = auLoss(logits, labels, options);
  // The same loss from only the labelled entries, by hand.
  double sum = 0, count = 0, per_sample_sum = 0, samples = 0;
  for (int i = 0; i < 4; ++i) {
    double s = 0, n = 0;
    for (int c = 0; c < 3; ++c) {
      const int y = labels[i][c].item<int>();
      if (y < 0) continue;
      const double x = logits[i][c].item<double>();
      const double e = -(y ? logSigmoid(x) : logSigmoid(-x));
      s += e;
      n += 1;
    }
    sum += s;
    count += n;
    if (n > 0) {
      per_sample_sum += s / n;
      samples += 1;
    }
  }
  EXPECT_NEAR(terms.bce.item<double>(), sum / count, 1e-6);
  EXPECT_NEAR(terms.multilabel.item<double>(), per_sample_sum / samples, 1e-6);
  // Changing the logits of unknown entries changes nothing, and their gradient is zero.
  auto x = logits.clone().requires_grad_(true);
  auLoss(x, labels, options).total.backward();
  EXPECT_EQ(x.grad()[1].abs().sum().item<double>(), 0.0);
  EXPECT_EQ(x.grad()[0][2].item<double>(), 0.0);
  EXPECT_NE(x.grad()[0][0].item<double>(), 0.0);
}

TEST(AuLoss, AllUnknownGivesZeroNotNan) {
  const auto terms =
      auLoss(torch::randn({2, 2}), torch::full({2, 2}, -1, torch::kInt8), plain({1, 1}));
  EXPECT_EQ(terms.total.item<double>(), 0.0);
}

TEST(AuLoss, LabelSmoothingMovesTargetsTowardOneHalf) {
  // With eps = 0.2 a positive target is 0.9 and a negative one 0.1.
  const auto logits = torch::tensor({{1.5, -0.5}});
  const auto labels = torch::tensor({{1, 0}}, torch::kInt8);
  const auto terms = auLoss(logits, labels, plain({1, 1}, 0.2));
  const double e0 = -(0.9 * logSigmoid(1.5) + 0.1 * logSigmoid(-1.5));
  const double e1 = -(0.1 * logSigmoid(-0.5) + 0.9 * logSigmoid(0.5));
  EXPECT_NEAR(terms.bce.item<double>(), (e0 + e1) / 2, 1e-6);
}

TEST(AuLoss, TermsCanBeSwitchedOffAndBf16LogitsWork) {
  const auto logits = torch::randn({3, 2});
  const auto labels = torch::tensor({{1, 0}, {0, 0}, {1, 1}}, torch::kInt8);
  LossOptions only_bce = plain({1, 1});
  only_bce.multilabel = false;
  const auto a = auLoss(logits, labels, only_bce);
  EXPECT_NEAR(a.total.item<double>(), a.bce.item<double>(), 1e-7);
  LossOptions only_ml = plain({1, 1});
  only_ml.bce = false;
  const auto b = auLoss(logits.to(torch::kBFloat16), labels, only_ml);
  EXPECT_EQ(b.total.scalar_type(), torch::kFloat32);
  EXPECT_NEAR(b.total.item<double>(), b.multilabel.item<double>(), 1e-7);
}

}  // namespace
}  // namespace au::train

namespace au::train {
namespace {

TEST(AuLoss, GlobalCountsMakeShardsAddUpToTheWholeBatch) {
  // Data-parallel training: each rank's loss uses the global batch's denominators, so the
  // ranks' losses sum to the whole batch's loss even when -1 labels fall unevenly.
  torch::manual_seed(11);
  const torch::Tensor logits = torch::randn({6, 12});
  torch::Tensor labels = torch::randint(0, 2, {6, 12}).to(torch::kFloat32);
  labels.index_put_({torch::indexing::Slice(0, 2), torch::indexing::Slice(0, 9)},
                    -1);       // rank 0's half
  labels.index_put_({4}, -1);  // one sample with nothing labelled
  const LossOptions options;
  const LossCounts whole = lossCounts(labels);
  EXPECT_EQ(whole.entries, 72 - 18 - 12);
  EXPECT_EQ(whole.samples, 5);
  const auto full = auLoss(logits, labels, options).total.item<double>();
  double sum = 0;
  for (int64_t begin : {0, 3})
    sum += auLoss(logits.narrow(0, begin, 3), labels.narrow(0, begin, 3), options, &whole)
               .total.item<double>();
  EXPECT_NEAR(sum, full, 1e-6);
  // Without global counts the halves' mean is not the whole batch's loss.
  const double local =
      0.5 * (auLoss(logits.narrow(0, 0, 3), labels.narrow(0, 0, 3), options).total.item<double>() +
             auLoss(logits.narrow(0, 3, 3), labels.narrow(0, 3, 3), options).total.item<double>());
  EXPECT_GT(std::abs(local - full), 1e-3);
}

}  // namespace
}  // namespace au::train
