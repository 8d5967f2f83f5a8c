// Model-level ensemble selection on validation (the paper's Table 6 and Eq. 7): for each AU the
// candidate checkpoint with the best validation F1, then per-AU thresholds and smoothing windows
// tuned on validation; plain averaging of every candidate as the comparison. The report says
// what each step adds (tuned on the same frames, so its gains are optimistic).
#pragma once

#include <string>
#include <vector>

#include "infer/ensemble_spec.h"
#include "infer/validation_results.h"
#include "train/au_metrics.h"

namespace au::infer {

struct SelectionOptions {
  int max_window = 31;           ///< largest smoothing window tried (odd widths 1, 3, ...)
  std::string fill = "linear";   ///< how frames missing from a validation video are filled
};

struct ReportRow {
  std::string what;
  train::AuScores scores;
};

struct Selection {
  EnsembleSpec spec;
  std::vector<ReportRow> report;
};

Selection selectEnsemble(const std::vector<Candidate>& candidates, const ValidationFrames& frames,
                         const SelectionOptions& options);

/// The report as a text table: each row's mean F1 and F1_our, then the chosen ensemble per AU.
std::string formatSelection(const Selection& selection);

/// Probabilities after filling each video's gaps (frames absent between its first and last)
/// and smoothing with `window`; returns the values of the frames given, in their order.
std::vector<FrameProbabilities> smoothOverVideos(const std::vector<FrameProbabilities>& probs,
                                                 const ValidationFrames& frames, int window, FillMode fill);

}  // namespace au::infer
