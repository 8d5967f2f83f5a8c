#include "metrics/threshold_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "common/error.h"
#include "common/rng.h"

namespace au::metrics {
namespace {

/// F1 of "predict 1 when prob >= threshold" over the labelled samples, computed directly.
double f1At(const std::vector<float>& probs, const std::vector<int8_t>& truth, float threshold) {
  int64_t tp = 0, fp = 0, fn = 0;
  for (size_t i = 0; i < probs.size(); ++i) {
    if (truth[i] < 0) continue;
    const bool predicted = probs[i] >= threshold;
    tp += predicted && truth[i] == 1;
    fp += predicted && truth[i] == 0;
    fn += !predicted && truth[i] == 1;
  }
  const int64_t den = 2 * tp + fp + fn;
  return den == 0 ? 0.0 : 2.0 * tp / den;
}

/// O(n^2) reference: every candidate scored by a full pass, then the documented tie rule.
ThresholdResult bruteForce(const std::vector<float>& probs, const std::vector<int8_t>& truth) {
  std::set<float> candidates;
  for (size_t i = 0; i < probs.size(); ++i) {
    if (truth[i] >= 0) candidates.insert(probs[i]);
  }
  if (candidates.empty()) return {0.5f, 0.0};
  candidates.insert(std::nextafter(*candidates.rbegin(), std::numeric_limits<float>::infinity()));
  ThresholdResult best{0, -1};
  for (float t : candidates) {
    const double f1 = f1At(probs, truth, t);
    const double distance = std::fabs(double(t) - 0.5);
    const double best_distance = std::fabs(double(best.threshold) - 0.5);
    if (f1 > best.f1 || (f1 == best.f1 && (distance < best_distance ||
                                           (distance == best_distance && t > best.threshold)))) {
      best = {t, f1};
    }
  }
  return best;
}

TEST(ThresholdSearch, KnownOptimum) {
  // P = 3 positives. Candidate: TP FP FN -> F1
  //   0.9: 1 0 2 -> 2/5;  0.8: 2 0 1 -> 4/5;  0.7: 2 1 1 -> 4/6;  0.6: 3 1 0 -> 6/7 (best)
  //   0.3: 3 2 0 -> 6/8;  0.2: 3 3 0 -> 6/9;  nothing: 0 0 3 -> 0
  const std::vector<float> probs = {0.9f, 0.8f, 0.7f, 0.6f, 0.3f, 0.2f};
  const std::vector<int8_t> truth = {1, 1, 0, 1, 0, 0};
  const ThresholdResult r = bestThreshold(probs, truth);
  EXPECT_EQ(r.threshold, 0.6f);
  EXPECT_DOUBLE_EQ(r.f1, 6.0 / 7);
}

TEST(ThresholdSearch, InputOrderAndDuplicatesDoNotMatter) {
  // Same as KnownOptimum, shuffled, with a duplicated value: 0.6 appears for a positive and a
  // negative. At 0.6: TP3 FP2 FN0 -> 6/8; at 0.8: TP2 FP0 FN1 -> 4/5 = 0.8 (best).
  const std::vector<float> probs = {0.3f, 0.6f, 0.9f, 0.2f, 0.6f, 0.7f, 0.8f};
  const std::vector<int8_t> truth = {0, 1, 1, 0, 0, 0, 1};
  const ThresholdResult r = bestThreshold(probs, truth);
  EXPECT_EQ(r.threshold, 0.8f);
  EXPECT_DOUBLE_EQ(r.f1, 0.8);
}

TEST(ThresholdSearch, TiesGoClosestToHalfThenLarger) {
  // 0.75: TP1 FN1 -> 2/3; 0.6: TP1 FP1 FN1 -> 1/2; 0.4: TP1 FP2 FN1 -> 2/5;
  // 0.25: TP2 FP2 -> 4/6 = 2/3. Tie between 0.75 and 0.25, both exactly 0.25 from 0.5: larger.
  EXPECT_EQ(bestThreshold({0.75f, 0.6f, 0.4f, 0.25f}, {1, 0, 0, 1}).threshold, 0.75f);
  // Same pattern with 0.9 and 0.2: both 2/3; 0.2 is closer to 0.5 (0.3 against 0.4).
  const ThresholdResult r = bestThreshold({0.9f, 0.6f, 0.45f, 0.2f}, {1, 0, 0, 1});
  EXPECT_EQ(r.threshold, 0.2f);
  EXPECT_DOUBLE_EQ(r.f1, 2.0 / 3);
}

TEST(ThresholdSearch, AllNegativeTruth) {
  // No positive: every candidate has F1 0, so the tie rule alone decides: 0.45 is closest.
  const ThresholdResult r = bestThreshold({0.1f, 0.3f, 0.45f, 0.7f, 0.9f}, {0, 0, 0, 0, 0});
  EXPECT_EQ(r.threshold, 0.45f);
  EXPECT_EQ(r.f1, 0.0);
  // All below 0.5: "predict nothing" (next float above 0.3) is the closest candidate.
  const ThresholdResult none = bestThreshold({0.1f, 0.2f, 0.3f}, {0, 0, 0});
  EXPECT_EQ(none.threshold, std::nextafter(0.3f, 1.0f));
  EXPECT_EQ(none.f1, 0.0);
}

TEST(ThresholdSearch, MinusOneIsIgnored) {
  const std::vector<float> probs = {0.9f, 0.8f, 0.7f, 0.6f, 0.3f, 0.2f};
  const std::vector<int8_t> truth = {1, 1, 0, 1, 0, 0};
  std::vector<float> noisy_probs = probs;
  std::vector<int8_t> noisy_truth = truth;
  // Unlabelled samples at values that would otherwise change the optimum, one with a NaN.
  for (float p : {0.65f, 0.99f, 0.01f, std::numeric_limits<float>::quiet_NaN()}) {
    noisy_probs.push_back(p);
    noisy_truth.push_back(-1);
  }
  const ThresholdResult a = bestThreshold(probs, truth);
  const ThresholdResult b = bestThreshold(noisy_probs, noisy_truth);
  EXPECT_EQ(a.threshold, b.threshold);
  EXPECT_EQ(a.f1, b.f1);
  const ThresholdResult empty = bestThreshold({0.3f, 0.7f}, {-1, -1});
  EXPECT_EQ(empty.threshold, 0.5f);
  EXPECT_EQ(empty.f1, 0.0);
  EXPECT_EQ(bestThreshold({}, {}).threshold, 0.5f);
}

TEST(ThresholdSearch, RejectsBadInput) {
  EXPECT_THROW(bestThreshold({0.5f}, {1, 0}), Error);
  EXPECT_THROW(bestThreshold({0.5f}, {2}), Error);
  EXPECT_THROW(bestThreshold({std::numeric_limits<float>::quiet_NaN()}, {1}), Error);
  EXPECT_THROW(bestThreshold({std::numeric_limits<float>::infinity()}, {0}), Error);
}

TEST(ThresholdSearch, MatchesBruteForceOnRandomData) {
  for (uint64_t trial = 0; trial < 400; ++trial) {
    Rng rng(7, {trial});
    const size_t n = 1 + rng.below(60);
    const bool coarse = trial % 2 == 0;  // coarse values make many ties in probability and F1
    const double positive_rate = rng.uniform();
    std::vector<float> probs(n);
    std::vector<int8_t> truth(n);
    for (size_t i = 0; i < n; ++i) {
      probs[i] =
          coarse ? static_cast<float>(rng.below(9)) / 8.0f : static_cast<float>(rng.uniform());
      truth[i] = rng.bernoulli(0.1) ? -1 : (rng.bernoulli(positive_rate) ? 1 : 0);
    }
    const ThresholdResult fast = bestThreshold(probs, truth), slow = bruteForce(probs, truth);
    ASSERT_EQ(fast.threshold, slow.threshold) << "trial " << trial;
    ASSERT_EQ(fast.f1, slow.f1) << "trial " << trial;
    ASSERT_EQ(fast.f1, f1At(probs, truth, fast.threshold)) << "trial " << trial;
  }
}

TEST(ThresholdSearch, BestThresholdsSearchesEachColumn) {
  constexpr size_t kN = 50;
  Rng rng(11);
  std::vector<float> probs(kN * io::kNumAus);
  std::vector<io::AuLabels> labels(kN);
  for (size_t i = 0; i < kN; ++i) {
    for (int a = 0; a < io::kNumAus; ++a) {
      probs[i * io::kNumAus + a] = static_cast<float>(rng.uniform());
      labels[i][a] = static_cast<signed char>(static_cast<int>(rng.below(3)) - 1);
    }
  }
  const auto results = bestThresholds(probs, labels);
  for (int a = 0; a < io::kNumAus; ++a) {
    std::vector<float> column(kN);
    std::vector<int8_t> truth(kN);
    for (size_t i = 0; i < kN; ++i) {
      column[i] = probs[i * io::kNumAus + a];
      truth[i] = labels[i][a];
    }
    const ThresholdResult expected = bruteForce(column, truth);
    EXPECT_EQ(results[a].threshold, expected.threshold) << io::kAuNames[a];
    EXPECT_EQ(results[a].f1, expected.f1) << io::kAuNames[a];
  }
  probs.pop_back();
  EXPECT_THROW(bestThresholds(probs, labels), Error);
}

}  // namespace
}  // namespace au::metrics
