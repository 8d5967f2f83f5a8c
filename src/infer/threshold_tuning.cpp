#include "infer/threshold_tuning.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "common/error.h"
#include "metrics/threshold_search.h"

namespace au::infer {
namespace {

struct CurvePoint {
  float threshold;
  double f1;
};

// F1 of every candidate threshold, in descending order of threshold: one sorted sweep, as
// metrics::bestThreshold does, keeping every point instead of the best.
std::vector<CurvePoint> f1Curve(const std::vector<float>& values,
                                const std::vector<int8_t>& truth) {
  std::vector<std::pair<float, bool>> samples;  // (value, positive), labelled only
  int64_t positives = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (truth[i] < 0) continue;
    AU_CHECK(std::isfinite(values[i]), "value at sample ", i, " is ", values[i]);
    samples.emplace_back(values[i], truth[i] == 1);
    positives += truth[i];
  }
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end(),
            [](const auto& x, const auto& y) { return x.first > y.first; });
  const auto f1 = [positives](int64_t tp, int64_t fp) {
    const int64_t den = 2 * tp + fp + (positives - tp);
    return den == 0 ? 0.0 : static_cast<double>(2 * tp) / static_cast<double>(den);
  };
  // First "predict nothing", just above the largest value.
  const float above = std::nextafter(samples.front().first, std::numeric_limits<float>::infinity());
  std::vector<CurvePoint> curve{{above, f1(0, 0)}};
  int64_t tp = 0, fp = 0;
  for (size_t i = 0; i < samples.size();) {
    const float value = samples[i].first;
    for (; i < samples.size() && samples[i].first == value; ++i) ++(samples[i].second ? tp : fp);
    curve.push_back({value, f1(tp, fp)});
  }
  return curve;
}

ThresholdChoice plateauThreshold(const std::vector<float>& values, const std::vector<int8_t>& truth,
                                 double tolerance) {
  const auto curve = f1Curve(values, truth);
  double best = 0;
  for (const auto& p : curve) best = std::max(best, p.f1);
  if (best == 0) return {0.5f, 0.0};
  std::vector<float>
      plateau;  // ascending: the curve runs from high to low thresholds, read backwards
  for (auto p = curve.rbegin(); p != curve.rend(); ++p)
    if (p->f1 >= best - tolerance) plateau.push_back(p->threshold);
  return {plateau[(plateau.size() - 1) / 2], best};
}

ThresholdChoice shrunkThreshold(const std::vector<float>& values, const std::vector<int8_t>& truth,
                                double prior) {
  const auto exact = metrics::bestThreshold(values, truth);
  const double positives = static_cast<double>(std::count(truth.begin(), truth.end(), int8_t{1}));
  const double weight = positives == 0 ? 0.0 : positives / (positives + prior);
  return {static_cast<float>(weight * exact.threshold + (1 - weight) * 0.5), exact.f1};
}

}  // namespace

TuningMode parseTuningMode(const std::string& name) {
  for (auto mode : {TuningMode::kFixed, TuningMode::kPlateau, TuningMode::kShrunk,
                    TuningMode::kExact, TuningMode::kAuto})
    if (name == tuningModeName(mode)) return mode;
  AU_THROW(UsageError, "--select.tuning must be fixed, plateau, shrunk, exact or auto, not '", name,
           "'");
}

std::string tuningModeName(TuningMode mode) {
  switch (mode) {
    case TuningMode::kFixed:
      return "fixed";
    case TuningMode::kPlateau:
      return "plateau";
    case TuningMode::kShrunk:
      return "shrunk";
    case TuningMode::kExact:
      return "exact";
    case TuningMode::kAuto:
      return "auto";
  }
  AU_THROW(Error, "unknown tuning mode ", static_cast<int>(mode));
}

ThresholdChoice chooseThreshold(const std::vector<float>& values, const std::vector<int8_t>& truth,
                                const TuningRule& rule) {
  AU_CHECK(values.size() == truth.size(), values.size(), " values but ", truth.size(), " labels");
  switch (rule.mode) {
    case TuningMode::kFixed:
      return {0.5f, 0.0};
    case TuningMode::kPlateau:
      return plateauThreshold(values, truth, rule.tolerance);
    case TuningMode::kShrunk:
      return shrunkThreshold(values, truth, rule.prior_positives);
    case TuningMode::kExact: {
      const auto r = metrics::bestThreshold(values, truth);
      return {r.threshold, r.f1};
    }
    case TuningMode::kAuto:
      break;
  }
  AU_THROW(Error, "no threshold rule for tuning mode ", tuningModeName(rule.mode));
}

size_t chooseWindow(const std::vector<double>& best_f1_by_width, const TuningRule& rule) {
  if (rule.mode == TuningMode::kFixed || best_f1_by_width.empty()) return 0;
  const double best = *std::max_element(best_f1_by_width.begin(), best_f1_by_width.end());
  const double slack = rule.mode == TuningMode::kPlateau ? rule.tolerance : 0.0;
  size_t w = 0;
  while (best_f1_by_width[w] < best - slack) ++w;
  return w;
}

}  // namespace au::infer
