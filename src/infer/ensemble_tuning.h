// Tuning the model-level ensemble on some validation rows (whole videos) and applying the tuned
// choices to other rows. Applied to the rows it was tuned on, a choice scores optimistically;
// applied to held-out videos (crossValidate), honestly.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "infer/threshold_tuning.h"
#include "infer/validation_results.h"
#include "infer/video_folds.h"
#include "metrics/au_metrics.h"

namespace au::infer {

using Thresholds = std::array<float, io::kNumAus>;

/// The report's steps, in order: each of the first four adds one tuned choice to the one before;
/// the last two (plain averaging of every candidate) are the comparison.
enum Step : int {
  kBestSingle,           ///< the candidate with the best mean F1, threshold 0.5
  kPerAuSelection,       ///< per AU the candidate with the best F1, threshold 0.5
  kThresholds,           ///< + per-AU thresholds
  kWindows,              ///< + per-AU smoothing windows (their thresholds re-tuned)
  kAveraging,            ///< the mean of every candidate, threshold 0.5
  kAveragingThresholds,  ///< the mean of every candidate + per-AU thresholds
  kNumSteps
};

/// Per step, the confusion counts of its predictions on some rows.
using StepCounts = std::array<metrics::AuCounts, kNumSteps>;

struct TuningSettings {
  TuningRule rule;                    ///< how thresholds and windows are chosen
  int max_window = 31;                ///< widths tried: 1, 3, ..., max_window
  FillMode fill = FillMode::kLinear;  ///< frames missing inside a video, before smoothing
};

/// Choices tuned on some validation rows.
struct TunedEnsemble {
  size_t best_single = 0;  ///< the candidate with the best mean F1 at 0.5
  std::array<size_t, io::kNumAus>
      chosen{};             ///< per AU the candidate with the best F1 at 0.5 (ties: the first)
  Thresholds thresholds{};  ///< per AU, for the unsmoothed selection
  std::array<int, io::kNumAus> window{};  ///< per AU the smoothing width (1: none)
  Thresholds smoothed_thresholds{};       ///< per AU, for the selection smoothed with its window
  Thresholds mean_thresholds{};           ///< per AU, for the average of every candidate
};

/// Tunes every step's choices on `rows` (whole videos) of the candidates' shared frames.
TunedEnsemble tuneEnsemble(const std::vector<Candidate>& candidates, const ValidationFrames& frames,
                           const Rows& rows, const TuningSettings& settings);

/// The counts of every step's predictions on `rows` (whole videos) with the tuned choices.
StepCounts applyEnsemble(const TunedEnsemble& tuned, const std::vector<Candidate>& candidates,
                         const ValidationFrames& frames, const Rows& rows, FillMode fill);

/// For each fold, tunes on the other folds' videos and applies to the fold's; the counts pooled
/// over the folds (pooled TP/FP/FN per AU, as the official metric pools frames). Needs >= 2 folds.
StepCounts crossValidate(const std::vector<Candidate>& candidates, const ValidationFrames& frames,
                         const VideoFolds& folds, const TuningSettings& settings);

/// Probabilities after filling each video's gaps (frames absent between its first and last)
/// and smoothing with `window`; returns the values of the frames given, in their order. Each
/// video's frames must be contiguous, so any set of whole videos smooths as it would among all.
std::vector<FrameProbabilities> smoothOverVideos(const std::vector<FrameProbabilities>& probs,
                                                 const ValidationFrames& frames, int window,
                                                 FillMode fill);

}  // namespace au::infer
