#include "metrics/threshold_search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "common/error.h"

namespace au::metrics {
namespace {

/// F1 as the exact fraction 2TP / (2TP + FP + FN), with 0/0 read as 0/1.
struct Fraction {
  int64_t num;
  int64_t den;
};

Fraction f1Fraction(int64_t tp, int64_t fp, int64_t fn) {
  const int64_t den = 2 * tp + fp + fn;
  return den == 0 ? Fraction{0, 1} : Fraction{2 * tp, den};
}

/// -1, 0, 1 as a < b, a == b, a > b.
int compare(const Fraction& a, const Fraction& b) {
  const __int128 lhs = static_cast<__int128>(a.num) * b.den;
  const __int128 rhs = static_cast<__int128>(b.num) * a.den;
  return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
}

/// True when candidate threshold `a` wins a tie in F1 against `b`.
bool preferredOnTie(float a, float b) {
  const double da = std::fabs(static_cast<double>(a) - 0.5);
  const double db = std::fabs(static_cast<double>(b) - 0.5);
  if (da != db) return da < db;
  return a > b;
}

}  // namespace

ThresholdResult bestThreshold(const std::vector<float>& probs, const std::vector<int8_t>& truth) {
  AU_CHECK(probs.size() == truth.size(), probs.size(), " probabilities but ", truth.size(),
           " labels");
  std::vector<std::pair<float, bool>> samples;  // (probability, positive), labelled only
  samples.reserve(probs.size());
  int64_t positives = 0;
  for (size_t i = 0; i < probs.size(); ++i) {
    AU_CHECK(truth[i] >= -1 && truth[i] <= 1, "truth ", int(truth[i]), " at sample ", i);
    if (truth[i] < 0) continue;
    AU_CHECK(std::isfinite(probs[i]), "probability at sample ", i, " is ", probs[i]);
    samples.emplace_back(probs[i], truth[i] == 1);
    positives += truth[i];
  }
  if (samples.empty()) return {0.5f, 0.0};

  // Descending: lowering the threshold past each distinct value turns that value's samples
  // positive, so one pass sees every candidate's counts.
  std::sort(samples.begin(), samples.end(),
            [](const auto& x, const auto& y) { return x.first > y.first; });

  // Start from "predict nothing": TP = FP = 0, FN = all positives.
  float best_threshold =
      std::nextafter(samples.front().first, std::numeric_limits<float>::infinity());
  Fraction best_f1 = f1Fraction(0, 0, positives);

  int64_t tp = 0, fp = 0;
  for (size_t i = 0; i < samples.size();) {
    const float value = samples[i].first;
    for (; i < samples.size() && samples[i].first == value; ++i) {
      ++(samples[i].second ? tp : fp);
    }
    const Fraction f1 = f1Fraction(tp, fp, positives - tp);
    const int order = compare(f1, best_f1);
    if (order > 0 || (order == 0 && preferredOnTie(value, best_threshold))) {
      best_f1 = f1;
      best_threshold = value;
    }
  }
  return {best_threshold, static_cast<double>(best_f1.num) / static_cast<double>(best_f1.den)};
}

std::array<ThresholdResult, io::kNumAus> bestThresholds(const std::vector<float>& probs,
                                                        const std::vector<io::AuLabels>& labels) {
  AU_CHECK(probs.size() == labels.size() * io::kNumAus, probs.size(), " probabilities for ",
           labels.size(), " frames of ", io::kNumAus, " AUs");
  std::array<ThresholdResult, io::kNumAus> results;
  std::vector<float> column(labels.size());
  std::vector<int8_t> truth(labels.size());
  for (int a = 0; a < io::kNumAus; ++a) {
    for (size_t i = 0; i < labels.size(); ++i) {
      column[i] = probs[i * io::kNumAus + a];
      truth[i] = labels[i][a];
    }
    results[a] = bestThreshold(column, truth);
  }
  return results;
}

}  // namespace au::metrics
