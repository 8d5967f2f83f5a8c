#include "metrics/au_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/error.h"

namespace au::metrics {
namespace {

using Prediction = std::array<int8_t, io::kNumAus>;
constexpr int kFrames = 6;

/// Six frames; each AU column is written out below with its hand-worked counts.
struct Example {
  std::array<io::AuLabels, kFrames> truth{};
  std::array<Prediction, kFrames> pred{};
  void setColumn(int au, std::array<int, kFrames> t, std::array<int, kFrames> p) {
    for (int f = 0; f < kFrames; ++f) {
      truth[f][au] = static_cast<signed char>(t[f]);
      pred[f][au] = static_cast<int8_t>(p[f]);
    }
  }
};

Example handWorked() {
  Example e;
  // AU1: TP f0,f4; FN f1; FP f2; TN f3,f5 -> TP2 FP1 FN1 TN2.
  //   F1 = 2*2/(4+1+1) = 2/3; F1_0 = 2*2/(4+1+1) = 2/3; F1_our = 2/3.
  e.setColumn(0, {1, 1, 0, 0, 1, 0}, {1, 0, 1, 0, 1, 0});
  // AU2: TP4 FP2 FN0 TN0. F1 = 8/10 = 0.8; F1_0 = 0/(0+0+2) = 0. Both classes occur in
  //   y_true, so scikit-learn macro = (0.8 + 0)/2 = 0.4.
  e.setColumn(1, {1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1});
  // AU4: all truth 0, all predicted 0: TN6. F1 = 0/0 -> 0; F1_0 = 12/12 = 1. Only class 0
  //   occurs, so scikit-learn macro averages over class 0 alone: 1.
  e.setColumn(2, {0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0});
  // AU6: no positive truth, one false alarm: FP1 TN5. F1 = 0/(0+1) = 0; F1_0 = 10/(10+0+1) =
  //   10/11. Class 1 occurs in y_pred, so macro = (0 + 10/11)/2 = 5/11.
  e.setColumn(3, {0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0});
  // AU7: all truth 1, all predicted 1: TP6. F1 = 1; F1_0 = 0/0 -> 0; only class 1 occurs:
  //   macro = 1.
  e.setColumn(4, {1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1});
  // AU10: never labelled: 6 skipped entries, every count 0, F1 = F1_0 = F1_our = 0.
  e.setColumn(5, {-1, -1, -1, -1, -1, -1}, {1, 0, 1, 0, 1, 0});
  // AU12: f0 TN, f1 TP, f2/f3 skipped, f4 FP, f5 FN -> TP1 FP1 FN1 TN1, skipped 2.
  //   F1 = 2/(2+1+1) = 0.5; F1_0 = 0.5; F1_our = 0.5.
  e.setColumn(6, {0, 1, -1, -1, 0, 1}, {0, 1, 1, 0, 1, 0});
  // AU15..AU26 (5 AUs): perfect, TP3 TN3: F1 = F1_0 = F1_our = 1.
  for (int au = 7; au < io::kNumAus; ++au) e.setColumn(au, {1, 0, 1, 0, 1, 0}, {1, 0, 1, 0, 1, 0});
  return e;
}

AuCounts countsOf(const Example& e, int begin = 0, int end = kFrames) {
  AuCounts counts;
  for (int f = begin; f < end; ++f) accumulate(counts, e.truth[f], e.pred[f]);
  return counts;
}

TEST(AuMetrics, HandWorkedCounts) {
  const AuCounts c = countsOf(handWorked());
  const std::array<int64_t, 7> tp = {2, 4, 0, 0, 6, 0, 1}, fp = {1, 2, 0, 1, 0, 0, 1},
                               fn = {1, 0, 0, 0, 0, 0, 1}, tn = {2, 0, 6, 5, 0, 0, 1},
                               skipped = {0, 0, 0, 0, 0, 6, 2};
  for (int a = 0; a < 7; ++a) {
    EXPECT_EQ(c.tp[a], tp[a]) << io::kAuNames[a];
    EXPECT_EQ(c.fp[a], fp[a]) << io::kAuNames[a];
    EXPECT_EQ(c.fn[a], fn[a]) << io::kAuNames[a];
    EXPECT_EQ(c.tn[a], tn[a]) << io::kAuNames[a];
    EXPECT_EQ(c.skipped[a], skipped[a]) << io::kAuNames[a];
  }
  for (int a = 7; a < io::kNumAus; ++a) {
    EXPECT_EQ(c.tp[a], 3);
    EXPECT_EQ(c.tn[a], 3);
    EXPECT_EQ(c.fp[a] + c.fn[a] + c.skipped[a], 0);
  }
  EXPECT_EQ(c.frames, kFrames);
}

TEST(AuMetrics, HandWorkedScores) {
  const AuScores s = score(countsOf(handWorked()));
  const std::array<double, 7> f1 = {2.0 / 3, 0.8, 0, 0, 1, 0, 0.5};
  const std::array<double, 7> f1_negative = {2.0 / 3, 0, 1, 10.0 / 11, 0, 0, 0.5};
  const std::array<double, 7> f1_our = {2.0 / 3, 0.4, 1, 5.0 / 11, 1, 0, 0.5};
  for (int a = 0; a < 7; ++a) {
    EXPECT_DOUBLE_EQ(s.f1[a], f1[a]) << io::kAuNames[a];
    EXPECT_DOUBLE_EQ(s.f1_negative[a], f1_negative[a]) << io::kAuNames[a];
    EXPECT_DOUBLE_EQ(s.f1_our[a], f1_our[a]) << io::kAuNames[a];
  }
  for (int a = 7; a < io::kNumAus; ++a) {
    EXPECT_DOUBLE_EQ(s.f1[a], 1);
    EXPECT_DOUBLE_EQ(s.f1_our[a], 1);
  }
  // Means over all 12 AUs, the never-labelled AU10 included as 0:
  //   F1:     (2/3 + 0.8 + 0 + 0 + 1 + 0 + 0.5 + 5) / 12 = (7.3 + 2/3) / 12
  //   F1_our: (2/3 + 0.4 + 1 + 5/11 + 1 + 0 + 0.5 + 5) / 12 = (7.9 + 2/3 + 5/11) / 12
  EXPECT_DOUBLE_EQ(s.mean_f1, (7.3 + 2.0 / 3) / 12);
  EXPECT_DOUBLE_EQ(s.mean_f1_our, (7.9 + 2.0 / 3 + 5.0 / 11) / 12);
  EXPECT_EQ(s.frames_compared, kFrames);
  EXPECT_EQ(s.entries_skipped, 8);  // AU10: 6, AU12: 2
}

TEST(AuMetrics, AllOnesScoresAreThoseOfPredictingEveryLabelledEntryPositive) {
  const AuScores s = allOnesScores(countsOf(handWorked()));
  // Per AU, positives P and negatives N of the labels: F1 = 2P / (2P + N).
  //   AU1 P3 N3: 2/3; AU2 P4 N2: 0.8; AU4, AU6 P0: 0; AU7 P6 N0: 1; AU10 unlabelled: 0;
  //   AU12 P2 N2: 2/3; AU15..AU26 P3 N3: 2/3 each.
  const std::array<double, 7> f1 = {2.0 / 3, 0.8, 0, 0, 1, 0, 2.0 / 3};
  for (int a = 0; a < 7; ++a) EXPECT_DOUBLE_EQ(s.f1[a], f1[a]) << io::kAuNames[a];
  EXPECT_DOUBLE_EQ(s.mean_f1, (1.8 + 7 * 2.0 / 3) / 12);
  EXPECT_EQ(s.entries_skipped, 8);  // the same labelled entries
}

TEST(AuMetrics, F1FormulasAndEmptyDenominators) {
  EXPECT_DOUBLE_EQ(f1Positive(0, 0, 0), 0);
  EXPECT_DOUBLE_EQ(f1Positive(0, 3, 2), 0);
  EXPECT_DOUBLE_EQ(f1Positive(3, 1, 2), 6.0 / 9);  // 2*3 / (6 + 1 + 2)
  EXPECT_DOUBLE_EQ(f1Negative(0, 0, 0), 0);
  EXPECT_DOUBLE_EQ(f1Negative(5, 1, 2), 10.0 / 13);  // 2*5 / (10 + 2 + 1)
}

TEST(AuMetrics, MacroF1FollowsScikitLearn) {
  // f1_score(y_true, y_pred, average='macro'), worked by hand from scikit-learn's definition
  // (mean over unique_labels(y_true, y_pred) of each class's F1):
  // [0,0,1] vs [0,1,1]: class 1 TP1 FP1 -> 2/3; class 0 TP1 FN1 -> 2/3; macro 2/3.
  EXPECT_DOUBLE_EQ(f1Macro(1, 1, 0, 1), 2.0 / 3);
  // [0,0] vs [0,0]: labels {0}; class 0 F1 = 1 -> 1.0 (not 0.5).
  EXPECT_DOUBLE_EQ(f1Macro(0, 0, 0, 2), 1.0);
  // [1,1] vs [1,1]: labels {1} -> 1.0.
  EXPECT_DOUBLE_EQ(f1Macro(2, 0, 0, 0), 1.0);
  // [0,0] vs [1,1]: labels {0,1}; class 1 2*0/(0+2) = 0, class 0 0/(0+2) = 0 -> 0.
  EXPECT_DOUBLE_EQ(f1Macro(0, 2, 0, 0), 0.0);
  // [1,1] vs [0,0]: both classes occur, both F1 0 -> 0.
  EXPECT_DOUBLE_EQ(f1Macro(0, 0, 2, 0), 0.0);
  // [1,0,0,0] vs [0,0,0,0]: class 1 0/(0+1) = 0; class 0 6/(6+1) -> macro 3/7.
  EXPECT_DOUBLE_EQ(f1Macro(0, 0, 1, 3), 3.0 / 7);
  // No entry at all: 0 by the official convention.
  EXPECT_DOUBLE_EQ(f1Macro(0, 0, 0, 0), 0.0);
}

TEST(AuMetrics, AuWithNoPositivesAnywhereScoresZeroF1) {
  AuCounts c;
  io::AuLabels truth;
  truth.fill(0);
  Prediction pred{};
  for (int f = 0; f < 10; ++f) {
    pred[0] = f < 3 ? 1 : 0;  // AU1: three false alarms
    accumulate(c, truth, pred);
  }
  const AuScores s = score(c);
  EXPECT_EQ(s.f1[0], 0);
  EXPECT_EQ(s.f1[1], 0);                               // no positives, none predicted: 0/0 -> 0
  EXPECT_EQ(s.f1_our[1], 1);                           // only class 0 occurs
  EXPECT_DOUBLE_EQ(s.f1_our[0], (0 + 14.0 / 17) / 2);  // FP3 TN7: F1_0 = 14/(14+3)
}

TEST(AuMetrics, AllMinusOneColumnAndFrame) {
  AuCounts c;
  io::AuLabels truth;
  truth.fill(1);
  truth[3] = -1;
  Prediction pred;
  pred.fill(1);
  accumulate(c, truth, pred);
  accumulate(c, truth, pred);
  io::AuLabels unlabelled;
  unlabelled.fill(-1);
  accumulate(c, unlabelled, pred);  // counts nothing but 12 skipped entries, and no frame
  const AuScores s = score(c);
  EXPECT_EQ(c.skipped[3], 3);
  EXPECT_EQ(c.skipped[0], 1);
  EXPECT_EQ(c.tp[3] + c.fp[3] + c.fn[3] + c.tn[3], 0);
  EXPECT_EQ(s.f1[3], 0);
  EXPECT_EQ(s.f1_negative[3], 0);
  EXPECT_EQ(s.f1_our[3], 0);
  EXPECT_EQ(s.f1_our[0], 1);
  EXPECT_EQ(s.frames_compared, 2);
  EXPECT_EQ(s.entries_skipped, 3 + 11);
  EXPECT_DOUBLE_EQ(s.mean_f1, 11.0 / 12);
}

TEST(AuMetrics, ProbabilityOverloadUsesGreaterOrEqual) {
  std::array<float, io::kNumAus> thresholds;
  thresholds.fill(0.5f);
  thresholds[1] = 0.25f;
  io::AuLabels truth;
  truth.fill(1);
  std::array<float, io::kNumAus> probs;
  probs.fill(0.5f);                        // == threshold: predicted 1 (TP)
  probs[1] = std::nextafter(0.25f, 0.0f);  // just below: predicted 0 (FN)
  probs[2] = 0.49f;                        // FN
  AuCounts c;
  accumulate(c, truth, probs.data(), thresholds);
  EXPECT_EQ(c.tp[0], 1);
  EXPECT_EQ(c.fn[1], 1);
  EXPECT_EQ(c.fn[2], 1);
  EXPECT_EQ(c.tp[3], 1);
  probs[4] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(accumulate(c, truth, probs.data(), thresholds), Error);
}

TEST(AuMetrics, RejectsValuesOutsideTheirSets) {
  AuCounts c;
  io::AuLabels truth{};
  Prediction pred{};
  truth[2] = 2;
  EXPECT_THROW(accumulate(c, truth, pred), Error);
  truth[2] = 0;
  pred[5] = -1;
  EXPECT_THROW(accumulate(c, truth, pred), Error);
}

TEST(AuMetrics, FlattenRoundTripAndAddIsSumOfParts) {
  const Example e = handWorked();
  const AuCounts all = countsOf(e);
  const std::vector<int64_t> flat = all.flatten();
  ASSERT_EQ(flat.size(), AuCounts::kFlatSize);
  EXPECT_EQ(AuCounts::unflatten(flat).flatten(), flat);

  // Two "ranks" with frames 0..1 and 2..5: add() and an elementwise sum of the flattened
  // vectors (what an int64 sum-allreduce does) both give the single-pass counts.
  const AuCounts part_a = countsOf(e, 0, 2), part_b = countsOf(e, 2, kFrames);
  AuCounts merged = part_a;
  merged.add(part_b);
  EXPECT_EQ(merged.flatten(), flat);
  std::vector<int64_t> summed = part_a.flatten();
  const std::vector<int64_t> flat_b = part_b.flatten();
  for (size_t i = 0; i < summed.size(); ++i) summed[i] += flat_b[i];
  EXPECT_EQ(AuCounts::unflatten(summed).flatten(), flat);
  EXPECT_EQ(score(merged).mean_f1_our, score(all).mean_f1_our);

  EXPECT_THROW(AuCounts::unflatten(std::vector<int64_t>(AuCounts::kFlatSize - 1)), Error);
}

TEST(AuMetrics, FormatScoresHasARowPerAuAndTheMeans) {
  const std::string table = formatScores(score(countsOf(handWorked())));
  for (const auto& name : io::kAuNames) EXPECT_NE(table.find(name), std::string::npos) << name;
  EXPECT_NE(table.find("F1_our"), std::string::npos);
  EXPECT_NE(table.find("mean"), std::string::npos);
  EXPECT_NE(table.find("0.6667"), std::string::npos);  // AU1's F1
  int lines = 0;
  for (char ch : table) lines += ch == '\n';
  EXPECT_EQ(lines, 1 + io::kNumAus + 1);
}

}  // namespace
}  // namespace au::metrics
