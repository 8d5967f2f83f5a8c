// Model-level ensemble selection on validation (the paper's Table 6 and Eq. 7): for each AU the
// candidate checkpoint with the best validation F1, then per-AU thresholds and smoothing windows
// tuned on validation; plain averaging of every candidate as the comparison. The report gives
// each step's score on the tuning frames (optimistic) and cross-validated over held-out
// validation videos (honest: what to expect on unseen videos).
#pragma once

#include <string>
#include <vector>

#include "infer/ensemble_spec.h"
#include "infer/ensemble_tuning.h"
#include "infer/validation_results.h"
#include "metrics/au_metrics.h"

namespace au::infer {

struct SelectionOptions {
  int max_window = 31;           ///< largest smoothing window tried (odd widths 1, 3, ...)
  std::string fill = "linear";   ///< how frames missing from a validation video are filled
  std::string tuning = "auto";   ///< fixed, plateau, shrunk, exact or auto (TuningMode)
  int cv_folds = 5;              ///< video folds for the honest score (1: none)
  double tolerance = 0.01;       ///< plateau: F1 a threshold or window may give up against the best
  double prior_positives = 500;  ///< shrunk: positive frames that weigh as much as the prior 0.5
};

struct ReportRow {
  std::string what;
  metrics::AuScores scores;  ///< on the tuning frames (every validation frame): optimistic
  metrics::AuScores
      cv;  ///< pooled over held-out video folds: honest (zero without cross-validation)
};

/// A tuning mode's cross-validated score (what `auto` compares).
struct ModeScore {
  TuningMode mode;
  metrics::AuScores cv;  ///< the last step's (+ windows) pooled held-out scores
};

struct Selection {
  EnsembleSpec spec;
  std::vector<ReportRow> report;  ///< one row per Step, in order
  TuningRule rule;                ///< the mode the spec was tuned with (auto: the one chosen)
  bool auto_mode = false;         ///< the mode was chosen by `auto`
  int cv_folds = 0;               ///< video folds cross-validated over; 0: none
  size_t videos = 0;              ///< validation videos
  int oof_folds = 0;  ///< the candidates are out-of-fold predictions of this many folds; 0: not
  std::vector<ModeScore> compared;  ///< auto: every compared mode, simplest first
};

/// Throws UsageError naming the option (--select.<name>) when a value is out of range.
void checkSelectionOptions(const SelectionOptions& options);

/// Tunes on every validation frame with options.tuning and, unless there is a single video or
/// cv_folds is 1, cross-validates the same tuning over video folds. Throws UsageError naming
/// the option for a bad value.
Selection selectEnsemble(const std::vector<Candidate>& candidates, const ValidationFrames& frames,
                         const SelectionOptions& options);

/// The report as a text table: each step's mean F1 and F1_our on the tuning frames and cross-
/// validated, which to trust, auto's comparison, then the chosen ensemble per AU.
std::string formatSelection(const Selection& selection);

}  // namespace au::infer
