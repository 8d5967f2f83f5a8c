#include "data/ml_ros.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "common/error.h"
#include "common/rng.h"

namespace au::data {
namespace {

constexpr int kA = 0, kB = 1, kC = 2, kD = 3;  // AU1, AU2, AU4, AU6

io::AuLabels only(int au) {
  io::AuLabels row{};
  row[au] = 1;
  return row;
}

/// The worked example: 23 samples, each carrying one label.
///   indices 0..11 A, 12..17 B, 18..20 C, 21..22 D; AU7..AU26 never positive.
///   counts A 12, B 6, C 3, D 2.  IRLbl = 12/count: A 1, B 2, C 4, D 6, the rest +inf.
///   MeanIR = (1 + 2 + 4 + 6) / 4 = 3.25 (the +inf labels left out). Minority: C (4), D (6).
std::vector<io::AuLabels> workedExample() {
  std::vector<io::AuLabels> labels;
  for (auto [au, count] : {std::pair{kA, 12}, {kB, 6}, {kC, 3}, {kD, 2}}) {
    for (int i = 0; i < count; ++i) labels.push_back(only(au));
  }
  return labels;
}

/// Which bag of the worked example an index belongs to: "A", "B", "C" or "D".
std::string bagOf(int64_t index) {
  return index < 12 ? "A" : index < 18 ? "B" : index < 21 ? "C" : "D";
}

std::string cloneBags(const std::vector<int64_t>& list, size_t n) {
  std::string bags;
  for (size_t i = n; i < list.size(); ++i) bags += bagOf(list[i]);
  return bags;
}

/// Labels of the resampled multiset: one row per index of the list.
std::vector<io::AuLabels> gather(const std::vector<io::AuLabels>& labels,
                                 const std::vector<int64_t>& list) {
  std::vector<io::AuLabels> out;
  for (int64_t i : list) out.push_back(labels[i]);
  return out;
}

/// A 2000-frame set with the paper's Table 1 imbalance (positive rates per AU) and some -1.
std::vector<io::AuLabels> randomSet(uint64_t seed) {
  const std::array<double, io::kNumAus> rates = {0.28, 0.38, 0.25, 0.24, 0.25, 0.25,
                                                 0.25, 0.25, 0.20, 0.27, 0.25, 0.32};
  // Rarity the paper's frame totals show: AU15, AU23, AU24 are an order of magnitude rarer.
  const std::array<double, io::kNumAus> presence = {1, 0.5, 1, 1, 1, 1, 1, 0.1, 0.1, 0.1, 1, 0.3};
  Rng rng(seed);
  std::vector<io::AuLabels> labels(2000);
  for (auto& row : labels) {
    for (int a = 0; a < io::kNumAus; ++a) {
      row[a] = rng.bernoulli(0.05) ? -1 : (rng.bernoulli(rates[a] * presence[a]) ? 1 : 0);
    }
  }
  return labels;
}

TEST(MlRos, WorkedExampleMeasures) {
  const auto labels = workedExample();
  const auto counts = positiveCounts(labels);
  EXPECT_EQ(counts[kA], 12);
  EXPECT_EQ(counts[kB], 6);
  EXPECT_EQ(counts[kC], 3);
  EXPECT_EQ(counts[kD], 2);
  const auto ir = irlbl(labels);
  EXPECT_EQ(ir[kA], 1.0);
  EXPECT_EQ(ir[kB], 2.0);
  EXPECT_EQ(ir[kC], 4.0);
  EXPECT_EQ(ir[kD], 6.0);
  for (int a = 4; a < io::kNumAus; ++a) EXPECT_TRUE(std::isinf(ir[a])) << io::kAuNames[a];
  EXPECT_EQ(meanIr(labels), 3.25);
}

TEST(MlRos, NoPositivesAnywhere) {
  // Every label absent: every IRLbl +inf, MeanIR 1 (balanced), nothing to clone.
  const std::vector<io::AuLabels> labels(10, io::AuLabels{});
  for (double value : irlbl(labels)) EXPECT_TRUE(std::isinf(value));
  EXPECT_EQ(meanIr(labels), 1.0);
  const auto list = mlRos(labels, {50, 1});
  EXPECT_EQ(list.size(), 10u);
  EXPECT_EQ(meanIr(std::vector<io::AuLabels>{}), 1.0);
}

TEST(MlRos, BalancedSetHasNoMinorityAndNoClones) {
  // A 2, B 2: IRLbl 1 and 1, MeanIR 1, no label above it.
  const std::vector<io::AuLabels> labels = {only(kA), only(kA), only(kB), only(kB)};
  EXPECT_EQ(meanIr(labels), 1.0);
  EXPECT_EQ(mlRos(labels, {100, 0}).size(), 4u);
}

TEST(MlRos, MeanIrStaysFixedAtItsOriginalValue) {
  // 13% of 23 = 2.99 -> 3 clones. With MeanIR fixed at 3.25:
  //   C: IRLbl 12/3 = 4 > 3.25, clone (C 4).  D: 12/2 = 6, clone (D 3).
  //   C: 12/4 = 3 <= 3.25, leaves.            D: 12/3 = 4, clone (D 4).   -> C D D
  // Recomputing MeanIR after each clone would give C D C instead: after the first two clones
  // MeanIR = (1 + 2 + 3 + 4) / 4 = 2.5 and C (3 > 2.5) would stay in the rotation.
  const auto labels = workedExample();
  const auto list = mlRos(labels, {13, 5});
  ASSERT_EQ(list.size(), 23u + 3);
  EXPECT_EQ(cloneBags(list, 23), "CDD");
}

TEST(MlRos, EmptiedRotationRestartsOverTheOriginalMinorities) {
  // 26% of 23 = 5.98 -> 6 clones. Phase 1 is C D D as above (D leaves at 12/4 = 3); the
  // rotation is then empty after 3 clones, so the other 3 go round-robin over {C, D} from C.
  const auto labels = workedExample();
  for (uint64_t seed : {0, 1, 2}) {
    const auto list = mlRos(labels, {26, seed});
    ASSERT_EQ(list.size(), 23u + 6);
    EXPECT_EQ(cloneBags(list, 23), "CDDCDC");
    // Counts after: C 3 + 3 = 6, D 2 + 3 = 5. MeanIR = (1 + 2 + 12/6 + 12/5) / 4 = 1.85.
    EXPECT_DOUBLE_EQ(meanIr(gather(labels, list)), (1 + 2 + 2 + 2.4) / 4);
  }
  // Far past balance the count still holds and every clone still comes from C or D.
  const auto list = mlRos(labels, {200, 3});
  ASSERT_EQ(list.size(), 23u + 46);
  for (char bag : cloneBags(list, 23)) EXPECT_TRUE(bag == 'C' || bag == 'D');
}

TEST(MlRos, CloneCountIsRoundedPercentage) {
  const auto labels = workedExample();
  EXPECT_EQ(mlRos(labels, {0, 0}).size(), 23u);
  EXPECT_EQ(mlRos(labels, {100, 0}).size(), 46u);
  EXPECT_EQ(mlRos(labels, {25, 0}).size(), 23u + 6);                              // 5.75 -> 6
  EXPECT_EQ(mlRos(labels, {2, 0}).size(), 23u + 0);                               // 0.46 -> 0
  const std::vector<io::AuLabels> ten(labels.begin() + 12, labels.begin() + 22);  // B6 C3 D1
  EXPECT_EQ(mlRos(ten, {25, 0}).size(), 10u + 3);  // 2.5 rounds away from zero -> 3
  EXPECT_THROW(mlRos(labels, {-1, 0}), Error);
}

TEST(MlRos, MinusOneCountsAsNeitherPositiveNorNegative) {
  const auto labels = workedExample();
  // Turning some 0 entries into -1 changes nothing.
  auto unknown = labels;
  for (size_t i = 0; i < unknown.size(); i += 3) unknown[i][kC] = unknown[i][kC] == 1 ? 1 : -1;
  for (size_t i = 0; i < unknown.size(); i += 2) unknown[i][7] = -1;
  EXPECT_EQ(irlbl(unknown), irlbl(labels));
  EXPECT_EQ(mlRos(unknown, {60, 9}), mlRos(labels, {60, 9}));
  // A -1 where there was a 1: sample 18 no longer counts for C (count 2, IRLbl 6) and is never
  // cloned for it.
  auto lost = labels;
  lost[18][kC] = -1;
  EXPECT_EQ(positiveCounts(lost)[kC], 2);
  EXPECT_EQ(irlbl(lost)[kC], 6.0);
  const auto list = mlRos(lost, {200, 4});
  for (size_t i = lost.size(); i < list.size(); ++i) EXPECT_NE(list[i], 18);
  lost[5][kB] = 2;
  EXPECT_THROW(mlRos(lost, {25, 0}), Error);
}

TEST(MlRos, RandomSetProperties) {
  const auto labels = randomSet(42);
  const int64_t n = static_cast<int64_t>(labels.size());
  const auto ir = irlbl(labels);
  const double mean_ir = meanIr(ir);
  const auto list = mlRos(labels, {25, 17});

  ASSERT_EQ(static_cast<int64_t>(list.size()), n + 500);  // 25% of 2000
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(list[i], i);  // every original once, in order
  for (size_t i = n; i < list.size(); ++i) {
    ASSERT_GE(list[i], 0);
    ASSERT_LT(list[i], n);
    bool has_minority = false;
    for (int a = 0; a < io::kNumAus; ++a) {
      has_minority |= labels[list[i]][a] == 1 && std::isfinite(ir[a]) && ir[a] > mean_ir;
    }
    EXPECT_TRUE(has_minority) << "clone " << list[i] << " carries no minority label";
  }
  EXPECT_LT(meanIr(gather(labels, list)), mean_ir);

  EXPECT_EQ(mlRos(labels, {25, 17}), list);
  EXPECT_NE(mlRos(labels, {25, 18}), list);
}

}  // namespace
}  // namespace au::data
