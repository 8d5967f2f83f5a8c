// Per-AU confusion counts and the two scores of the ABAW3 AU track: the official positive-class F1
// and the paper's "F1_our" (scikit-learn macro F1 of the binary problem), both averaged over AUs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::metrics {

/// Confusion counts per AU, pooled over every frame accumulated. Entries labelled -1 are not
/// compared; they are counted in `skipped`.
struct AuCounts {
  /// Values in `flatten()`: tp, fp, fn, tn, skipped (12 each), then frames.
  static constexpr size_t kFlatSize = 5 * io::kNumAus + 1;

  std::array<int64_t, io::kNumAus> tp{}, fp{}, fn{}, tn{};
  std::array<int64_t, io::kNumAus> skipped{};  ///< entries whose truth was -1
  int64_t frames = 0;                          ///< frames with at least one labelled AU

  /// Adds `other` field by field (counts are sums, so merging is exact and order-free).
  void add(const AuCounts& other);
  /// All counts as one int64 vector of kFlatSize, for a single sum-allreduce across ranks.
  std::vector<int64_t> flatten() const;
  /// Inverse of flatten(); throws au::Error when the size is not kFlatSize.
  static AuCounts unflatten(const std::vector<int64_t>& flat);
};

/// Adds one frame: `prediction` holds 0/1 per AU; AUs whose truth is -1 are skipped.
/// Throws au::Error on a truth outside {-1,0,1} or a prediction outside {0,1}.
void accumulate(AuCounts& counts, const io::AuLabels& truth,
                const std::array<int8_t, io::kNumAus>& prediction);
/// Adds one frame from 12 probabilities: AU a is predicted 1 when probs[a] >= thresholds[a].
/// Throws au::Error on a NaN probability (a broken model should not score as "all negative").
void accumulate(AuCounts& counts, const io::AuLabels& truth, const float* probs,
                const std::array<float, io::kNumAus>& thresholds);

/// Official per-AU score: 2TP / (2TP + FP + FN), 0 when the denominator is 0.
double f1Positive(int64_t tp, int64_t fp, int64_t fn);
/// F1 of class 0: 2TN / (2TN + FN + FP), 0 when the denominator is 0.
double f1Negative(int64_t tn, int64_t fp, int64_t fn);
/// scikit-learn `f1_score(truth, pred, average='macro')` of one AU: the mean F1 over the classes
/// that occur in the truth or the prediction. Both occur: (f1Positive + f1Negative) / 2. Only
/// class 0 occurs (tp = fp = fn = 0, tn > 0): f1Negative = 1. Only class 1 occurs: f1Positive
/// = 1. No entry at all: 0 (scikit-learn has nothing to average; we use the official empty-
/// denominator convention). Matching scikit-learn exactly is the point: it is how the paper
/// computed F1_our, and the plain average would give 0.5 where scikit-learn gives 1.
double f1Macro(int64_t tp, int64_t fp, int64_t fn, int64_t tn);

/// Scores derived from AuCounts.
struct AuScores {
  std::array<double, io::kNumAus> f1{};           ///< official positive-class F1
  std::array<double, io::kNumAus> f1_negative{};  ///< class-0 F1
  std::array<double, io::kNumAus> f1_our{};       ///< f1Macro (scikit-learn macro semantics)
  double mean_f1 = 0;           ///< mean of f1 over all 12 AUs (an AU never labelled scores 0)
  double mean_f1_our = 0;       ///< mean of f1_our over all 12 AUs
  int64_t frames_compared = 0;  ///< frames with at least one labelled AU
  int64_t entries_skipped = 0;  ///< (frame, AU) entries labelled -1, all AUs together
  AuCounts counts;              ///< the counts the scores came from
};

/// Per-AU and mean scores. Means are over all 12 AUs, as the challenge averages.
AuScores score(const AuCounts& counts);

/// What predicting 1 for every labelled entry would score on the same labels: the best constant
/// predictor for the positive-class F1 (predicting 0 scores 0), the baseline to beat.
AuScores allOnesScores(const AuCounts& counts);

/// A text table: one row per AU (F1, F1_our, TP, FP, FN, TN, skipped), then the two means.
std::string formatScores(const AuScores& scores);

}  // namespace au::metrics
