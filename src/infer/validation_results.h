// The per-frame validation probabilities au_train writes after each epoch
// (<run>/validation/epoch_NNN.csv), loaded as candidates for ensemble selection.
#pragma once

#include <string>
#include <vector>

#include "infer/ensemble_spec.h"
#include "infer/sequence_filling.h"
#include "io/au_names.h"

namespace au::infer {

/// One checkpoint's validation output, or one epoch of a k-fold family: its fold runs'
/// out-of-fold predictions, the k checkpoints acting as one model.
struct Candidate {
  std::string name;        ///< "<run>/epoch_003", or "<family>/epoch_003"
  std::string checkpoint;  ///< <run>/checkpoints/epoch_003.pt (empty for a family)
  std::string
      config;  ///< <run>/config.ini, for the record (the checkpoint holds the model options)
  std::vector<FrameProbabilities> probs;  ///< one row per frame, in the order of ValidationFrames
  std::vector<SpecMember> members;  ///< a family: each fold run's checkpoint and config, by fold
};

/// The frames every candidate must share: (video, frame) and the labels.
struct ValidationFrames {
  std::vector<std::string> video;
  std::vector<int> frame;
  std::vector<io::AuLabels> labels;
  /// k-fold families: the largest family's number of fold runs, every frame predicted by the run
  /// that did not train on its video (out-of-fold); 0: the runs' validation split.
  int oof_folds = 0;
};

/// Reads every validation/epoch_*.csv of every run folder. Throws DataError naming the file
/// and line for malformed content (a video's rows must be contiguous), and naming both files when
/// two candidates were validated on different frames (selection compares them frame by frame).
/// UsageError when nothing is found. Runs whose config.ini has a [train] fold >= 0 are grouped into
/// families (fold_families.h); each epoch that every run of a family validated is one candidate
/// whose rows are the fold runs' rows sorted by (video, frame) (DataError naming both files when a
/// frame is in two folds). Plain runs and families together are a UsageError: they validate on
/// other frames.
std::vector<Candidate> loadCandidates(const std::vector<std::string>& run_dirs,
                                      ValidationFrames& frames);

}  // namespace au::infer
