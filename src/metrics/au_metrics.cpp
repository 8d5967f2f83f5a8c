#include "metrics/au_metrics.h"

#include <cmath>
#include <cstdio>

#include "common/error.h"

namespace au::metrics {

void AuCounts::add(const AuCounts& other) {
  for (int a = 0; a < io::kNumAus; ++a) {
    tp[a] += other.tp[a];
    fp[a] += other.fp[a];
    fn[a] += other.fn[a];
    tn[a] += other.tn[a];
    skipped[a] += other.skipped[a];
  }
  frames += other.frames;
}

std::vector<int64_t> AuCounts::flatten() const {
  std::vector<int64_t> flat;
  flat.reserve(kFlatSize);
  for (const auto* field : {&tp, &fp, &fn, &tn, &skipped}) {
    flat.insert(flat.end(), field->begin(), field->end());
  }
  flat.push_back(frames);
  return flat;
}

AuCounts AuCounts::unflatten(const std::vector<int64_t>& flat) {
  AU_CHECK(flat.size() == kFlatSize, "AuCounts::unflatten wants ", kFlatSize, " values, got ",
           flat.size());
  AuCounts counts;
  size_t i = 0;
  for (auto* field : {&counts.tp, &counts.fp, &counts.fn, &counts.tn, &counts.skipped}) {
    for (auto& value : *field) value = flat[i++];
  }
  counts.frames = flat[i];
  return counts;
}

void accumulate(AuCounts& counts, const io::AuLabels& truth,
                const std::array<int8_t, io::kNumAus>& prediction) {
  bool any_labelled = false;
  for (int a = 0; a < io::kNumAus; ++a) {
    const int t = truth[a];
    const int p = prediction[a];
    AU_CHECK(t >= -1 && t <= 1, "truth of ", io::kAuNames[a], " is ", t);
    AU_CHECK(p == 0 || p == 1, "prediction of ", io::kAuNames[a], " is ", p);
    if (t < 0) {
      ++counts.skipped[a];
      continue;
    }
    any_labelled = true;
    if (t == 1) {
      ++(p == 1 ? counts.tp[a] : counts.fn[a]);
    } else {
      ++(p == 1 ? counts.fp[a] : counts.tn[a]);
    }
  }
  if (any_labelled) ++counts.frames;
}

void accumulate(AuCounts& counts, const io::AuLabels& truth, const float* probs,
                const std::array<float, io::kNumAus>& thresholds) {
  std::array<int8_t, io::kNumAus> prediction{};
  for (int a = 0; a < io::kNumAus; ++a) {
    AU_CHECK(!std::isnan(probs[a]), "probability of ", io::kAuNames[a], " is NaN");
    prediction[a] = probs[a] >= thresholds[a] ? 1 : 0;
  }
  accumulate(counts, truth, prediction);
}

double f1Positive(int64_t tp, int64_t fp, int64_t fn) {
  const int64_t denominator = 2 * tp + fp + fn;
  return denominator == 0 ? 0.0 : static_cast<double>(2 * tp) / static_cast<double>(denominator);
}

double f1Negative(int64_t tn, int64_t fp, int64_t fn) {
  // Class 0's true positives are TN; its false positives are our FN and vice versa.
  return f1Positive(tn, fn, fp);
}

double f1Macro(int64_t tp, int64_t fp, int64_t fn, int64_t tn) {
  // A class "occurs" (scikit-learn's unique_labels(y_true, y_pred)) when some truth or
  // prediction has it.
  const bool positive_occurs = tp + fp + fn > 0;
  const bool negative_occurs = tn + fp + fn > 0;
  if (positive_occurs && negative_occurs) {
    return (f1Positive(tp, fp, fn) + f1Negative(tn, fp, fn)) / 2;
  }
  if (positive_occurs) return f1Positive(tp, fp, fn);
  if (negative_occurs) return f1Negative(tn, fp, fn);
  return 0.0;
}

AuScores score(const AuCounts& counts) {
  AuScores scores;
  scores.counts = counts;
  scores.frames_compared = counts.frames;
  double sum_f1 = 0, sum_f1_our = 0;
  for (int a = 0; a < io::kNumAus; ++a) {
    scores.f1[a] = f1Positive(counts.tp[a], counts.fp[a], counts.fn[a]);
    scores.f1_negative[a] = f1Negative(counts.tn[a], counts.fp[a], counts.fn[a]);
    scores.f1_our[a] = f1Macro(counts.tp[a], counts.fp[a], counts.fn[a], counts.tn[a]);
    sum_f1 += scores.f1[a];
    sum_f1_our += scores.f1_our[a];
    scores.entries_skipped += counts.skipped[a];
  }
  scores.mean_f1 = sum_f1 / io::kNumAus;
  scores.mean_f1_our = sum_f1_our / io::kNumAus;
  return scores;
}

AuScores allOnesScores(const AuCounts& counts) {
  AuCounts ones = counts;
  for (int a = 0; a < io::kNumAus; ++a) {
    ones.tp[a] = counts.tp[a] + counts.fn[a];
    ones.fp[a] = counts.fp[a] + counts.tn[a];
    ones.fn[a] = ones.tn[a] = 0;
  }
  return score(ones);
}

std::string formatScores(const AuScores& scores) {
  std::string out;
  char line[200];
  std::snprintf(line, sizeof line, "%-6s %7s %7s %12s %12s %12s %12s %12s\n", "AU", "F1", "F1_our",
                "TP", "FP", "FN", "TN", "skipped");
  out += line;
  const AuCounts& c = scores.counts;
  for (int a = 0; a < io::kNumAus; ++a) {
    std::snprintf(line, sizeof line, "%-6s %7.4f %7.4f %12lld %12lld %12lld %12lld %12lld\n",
                  io::kAuNames[a].c_str(), scores.f1[a], scores.f1_our[a],
                  static_cast<long long>(c.tp[a]), static_cast<long long>(c.fp[a]),
                  static_cast<long long>(c.fn[a]), static_cast<long long>(c.tn[a]),
                  static_cast<long long>(c.skipped[a]));
    out += line;
  }
  std::snprintf(line, sizeof line, "%-6s %7.4f %7.4f   frames %lld, skipped entries %lld\n", "mean",
                scores.mean_f1, scores.mean_f1_our, static_cast<long long>(scores.frames_compared),
                static_cast<long long>(scores.entries_skipped));
  out += line;
  return out;
}

}  // namespace au::metrics
