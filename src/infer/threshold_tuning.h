// How au_select turns validation frames into a per-AU threshold and smoothing window: the exact
// F1 optimum (which over-fits a handful of videos), or rules that trade a little validation F1
// for choices that move less between videos (plateau centre, shrinkage toward 0.5, none).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace au::infer {

enum class TuningMode {
  kFixed,    ///< threshold 0.5, no smoothing (the untuned baseline)
  kPlateau,  ///< the centre of the thresholds within `tolerance` of the best F1; the narrowest such
             ///< window
  kShrunk,   ///< the exact threshold pulled toward 0.5 by n_pos / (n_pos + prior_positives)
  kExact,    ///< the F1-maximising threshold and window
  kAuto,     ///< the mode with the best cross-validated F1 (au_select decides; not a rule itself)
};

/// The modes `auto` compares, simplest first (ties in cross-validated F1 go to the earlier).
inline constexpr TuningMode kComparedModes[] = {TuningMode::kFixed, TuningMode::kPlateau,
                                                TuningMode::kShrunk, TuningMode::kExact};

/// "fixed", "plateau", "shrunk", "exact" or "auto"; UsageError naming --select.tuning otherwise.
TuningMode parseTuningMode(const std::string& name);
std::string tuningModeName(TuningMode mode);

/// A tuning mode (not kAuto) with its parameters (au_select's defaults: SelectionOptions).
struct TuningRule {
  TuningMode mode = TuningMode::kExact;
  double tolerance = 0;        ///< plateau: F1 (absolute) a choice may give up against the best
  double prior_positives = 0;  ///< shrunk: positives that weigh as much as the prior 0.5
};

/// One AU's threshold under a rule, and the best F1 any threshold reaches on the same values
/// (what windows are compared by).
struct ThresholdChoice {
  float threshold = 0.5f;
  double best_f1 = 0;
};

/// The rule's threshold for one AU: `values` per sample, `truth` 1, 0 or -1 (-1 ignored).
/// Exact is metrics::bestThreshold. Plateau takes, among the candidate thresholds (every distinct
/// labelled value, plus "predict nothing" above the largest) whose F1 is within the tolerance of
/// the best, the median in ascending order (the lower one of an even count); 0.5 when the best
/// F1 is 0 (nothing to learn). Fixed: 0.5.
ThresholdChoice chooseThreshold(const std::vector<float>& values, const std::vector<int8_t>& truth,
                                const TuningRule& rule);

/// The index of the window to use, given each window's best F1 in order of width: the first
/// (narrowest) whose F1 is within the plateau tolerance of the best (plateau), or that equals
/// the best (exact, shrunk); 0 (no smoothing) for fixed.
size_t chooseWindow(const std::vector<double>& best_f1_by_width, const TuningRule& rule);

}  // namespace au::infer
