// Cross-validation folds over validation videos: each raw video whole in one fold (both people of
// a recording, <video>_left and <video>_right, together, as au_prep's folds keep them), folds
// balanced by frame count, the assignment fixed by the video names and sizes alone.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "infer/validation_results.h"

namespace au::infer {

/// Indices of validation rows, ascending. Rows of whole videos: each video's rows stay
/// contiguous and in frame order, so per-video smoothing sees the same sequences as on all rows.
using Rows = std::vector<size_t>;

/// Every row of `frames`.
Rows allRows(const ValidationFrames& frames);

/// Validation videos split into folds.
struct VideoFolds {
  std::vector<std::vector<std::string>> videos;  ///< per fold, its videos' names, sorted
  std::vector<int> row_fold;                     ///< per validation row, the fold of its video

  int count() const { return static_cast<int>(videos.size()); }
  /// The rows of fold `fold` (held_out) or of every other fold (the tuning rows of that fold).
  Rows rows(int fold, bool held_out) const;
};

/// Assigns the raw videos of `frames` (io::rawVideoName) to min(folds, number of raw videos)
/// folds: raw videos sorted by name, then by frame count, largest first (stable, so equal counts
/// keep name order); each goes to the fold with the fewest frames so far, ties to the lowest
/// fold index. With fewer raw videos than `folds` this is one per fold (leave-one-out). Throws
/// au::Error when a video's rows are not contiguous or `folds` < 1.
VideoFolds assignVideoFolds(const ValidationFrames& frames, int folds);

}  // namespace au::infer
