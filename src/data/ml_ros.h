// ML-ROS, multilabel random oversampling (Charte, Rivera, del Jesus, Herrera, Neurocomputing 163,
// 2015): the imbalance measures IRLbl and MeanIR, and the list of sample indices with clones.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "io/au_names.h"

namespace au::data {

/// Positives per AU. A -1 (not annotated) entry counts as neither positive nor negative.
std::array<int64_t, io::kNumAus> positiveCounts(const std::vector<io::AuLabels>& labels);

/// IRLbl(l) = max_l' count(l') / count(l) over positive counts. A label with no positive gets
/// +infinity: it is absent from the data, so it can be neither measured nor oversampled;
/// meanIr leaves it out and ML-ROS never treats it as a minority label.
std::array<double, io::kNumAus> irlbl(const std::array<int64_t, io::kNumAus>& positive_counts);
std::array<double, io::kNumAus> irlbl(const std::vector<io::AuLabels>& labels);

/// MeanIR: the mean of the finite IRLbl values (labels with at least one positive). With no
/// such label it is 1, the value of a perfectly balanced set (every finite IRLbl is >= 1).
double meanIr(const std::array<double, io::kNumAus>& irlbl_values);
double meanIr(const std::vector<io::AuLabels>& labels);

/// The stream key ML-ROS gives au::Rng, so its draws never coincide with another component's.
constexpr uint64_t kMlRosStream = 0x6d6c2d726f73ull;  // "ml-ros"

/// ML-ROS settings.
struct MlRosOptions {
  double percentage = 25;  ///< clones to add, as a percentage of the dataset size (>= 0)
  uint64_t seed = 0;       ///< the only source of randomness (au::Rng)
};

/// The indices a sampler draws from: 0..N-1 once each, in order, then the clones, exactly
/// llround(percentage / 100 * N) of them (half rounds away from zero).
///
/// Algorithm (Charte et al. 2015, Fig. 5; mldr.resampling MLROS.R). Minority labels are those
/// with IRLbl > MeanIR; each has a bag of the original samples that carry it. Turns go
/// round-robin over the minority labels in AU order; a turn clones one uniformly random sample
/// of its bag and adds all of that sample's positives to the counts. Before each turn the label
/// leaves the rotation if its IRLbl (from the updated counts, whose maximum may also grow) is
/// <= MeanIR, so no clone is made for a label that is no longer a minority.
///
/// MeanIR is computed once, from the original data, and held fixed: that is the paper's
/// pseudocode and the R reference, and a fixed target makes the rotation end. Recomputing it
/// after every clone (as some ports do) chases a target that falls as the minorities grow.
///
/// When the rotation empties before the clone count is reached (the paper's loop would never
/// end; MLROS.R and the Python ports stop short), cloning continues round-robin over all the
/// original minority labels from the first, without the leave rule, so the count is always
/// llround(P% N) as the sampler expects. If there is no minority label at all (a balanced or
/// unlabelled set) there is nothing to oversample, and the list has no clones.
///
/// Deterministic: depends only on `labels` and `options` (Rng(seed, {kMlRosStream})), never on
/// threads or ranks. Throws au::Error on a negative percentage or a label outside {-1,0,1}.
std::vector<int64_t> mlRos(const std::vector<io::AuLabels>& labels,
                           const MlRosOptions& options = {});

}  // namespace au::data
