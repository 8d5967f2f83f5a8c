// Exact per-AU decision thresholds: the probability cut that maximises the positive-class F1 on a
// validation set, found by one sorted sweep over every distinct probability.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "io/au_names.h"

namespace au::metrics {

/// A threshold (predict 1 when prob >= threshold) and the F1 it gives on the data searched.
struct ThresholdResult {
  float threshold = 0.5f;
  double f1 = 0;
};

/// The F1-maximising threshold for one AU, exact, O(n log n). `truth` holds 1, 0 or -1 per
/// sample; -1 samples are ignored. The candidates are every distinct probability of a labelled
/// sample (predict 1 for prob >= it) plus "predict nothing", reported as the next float above
/// the largest probability. F1 is 2TP / (2TP + FP + FN), 0 when the denominator is 0, compared
/// exactly (integer cross-multiplication, no rounding ties).
/// Ties in F1 go to the candidate closest to 0.5 (the untuned default, so an uninformative
/// search changes nothing it need not), then to the larger candidate (fewer positives).
/// With no labelled sample the result is {0.5, 0}. Throws au::Error on a NaN or infinite
/// probability of a labelled sample, a truth outside {-1,0,1}, or sizes that differ.
ThresholdResult bestThreshold(const std::vector<float>& probs, const std::vector<int8_t>& truth);

/// bestThreshold for each AU. `probs` is N x 12, row-major (frame-major); `labels` has N rows.
std::array<ThresholdResult, io::kNumAus> bestThresholds(const std::vector<float>& probs,
                                                        const std::vector<io::AuLabels>& labels);

}  // namespace au::metrics
