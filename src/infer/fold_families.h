// k-fold au_train runs (config.ini [train] fold >= 0) grouped into families: the runs of one
// configuration that differ only in the fold they hold out. Together a family's validations
// predict every train+validation video once, each by the run that did not train on it.
#pragma once

#include <string>
#include <vector>

namespace au::infer {

/// One au_train run folder and the fold it validated on.
struct FoldRun {
  std::string dir;
  int fold = -1;
};

/// The fold runs of one configuration.
struct FoldFamily {
  std::string name;           ///< readable and unique: the first run's folder without "_fold<k>"
  std::vector<FoldRun> runs;  ///< sorted by fold
};

/// The [train] fold of <run_dir>/config.ini; -1 when the file or the line is absent (a folder
/// of validation CSVs only, or a run without folds). Throws DataError naming the file and line
/// for a fold that is not a whole number.
int runFold(const std::string& run_dir);

/// Groups fold runs (fold >= 0) into families, in order of each family's first run in `runs`.
/// Throws UsageError naming both runs when two runs of one family hold out the same fold.
std::vector<FoldFamily> groupFoldFamilies(const std::vector<FoldRun>& runs);

}  // namespace au::infer
