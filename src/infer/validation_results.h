// The per-frame validation probabilities au_train writes after each epoch
// (<run>/validation/epoch_NNN.csv), loaded as candidates for ensemble selection.
#pragma once

#include <string>
#include <vector>

#include "infer/sequence_filling.h"
#include "io/au_names.h"

namespace au::infer {

/// One checkpoint's validation output.
struct Candidate {
  std::string name;        ///< "<run>/epoch_003"
  std::string checkpoint;  ///< <run>/checkpoints/epoch_003.pt
  std::string config;      ///< <run>/config.ini (the model options to rebuild it)
  std::vector<FrameProbabilities> probs;  ///< one row per frame, in file order
};

/// The frames every candidate must share: (video, frame) and the labels.
struct ValidationFrames {
  std::vector<std::string> video;
  std::vector<int> frame;
  std::vector<io::AuLabels> labels;
};

/// Reads every validation/epoch_*.csv of every run folder. Throws DataError naming the file
/// and line for malformed content, and naming both files when two candidates were validated on
/// different frames (selection compares them frame by frame). UsageError when nothing is found.
std::vector<Candidate> loadCandidates(const std::vector<std::string>& run_dirs, ValidationFrames& frames);

}  // namespace au::infer
