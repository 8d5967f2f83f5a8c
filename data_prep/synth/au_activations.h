// Per-frame intensities of the 12 ABAW action units for synthetic videos: smooth episodes
// (onset, apex, offset) whose positive rates follow the paper's label table and whose
// co-occurrences are plausible (jaw drop with lips part, smile with cheek raiser).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "common/rng.h"
#include "io/au_names.h"

namespace au::synth {

using io::AuLabels;  ///< binary labels (0/1) of one frame, in the challenge's order
using io::kAuNames;
using io::kNumAus;

/// Intensity of each AU in [0, 1], in the challenge's order (see kAuNames).
using AuIntensity = std::array<float, kNumAus>;

/// Index of each AU in AuIntensity / AuLabels.
enum AuIndex : int {
  kAu1 = 0,  ///< inner brow raiser
  kAu2,      ///< outer brow raiser
  kAu4,      ///< brow lowerer
  kAu6,      ///< cheek raiser
  kAu7,      ///< lid tightener
  kAu10,     ///< upper lip raiser
  kAu12,     ///< lip corner puller
  kAu15,     ///< lip corner depressor
  kAu23,     ///< lip tightener
  kAu24,     ///< lip pressor
  kAu25,     ///< lips part
  kAu26,     ///< jaw drop
};

/// A frame is positive for an AU when its intensity is at least this.
constexpr float kLabelThreshold = 0.5f;

/// Positives per AU in Aff-Wild2 train+val, in thousands (paper Table 1).
constexpr std::array<double, kNumAus> kPaperPositivesK = {62,  41, 69, 112, 178, 156,
                                                          113, 13, 11, 13,  289, 47};

namespace detail {
constexpr std::array<double, kNumAus> targetRatesFromPositives() {
  std::array<double, kNumAus> rates{};
  for (int k = 0; k < kNumAus; ++k) rates[k] = 0.45 * kPaperPositivesK[k] / kPaperPositivesK[kAu25];
  return rates;
}
}  // namespace detail

/// Target fraction of positive frames per AU: 0.45 * positives_k / positives_AU25, i.e. the
/// paper's label table rescaled so that the most frequent AU (AU25, lips part) is positive in
/// 45% of frames. AU25 0.45, AU7 0.28, AU10 0.24, AU12/AU6 0.17, AU4 0.11, AU1 0.10,
/// AU26 0.073, AU2 0.064, AU15/AU24 0.020, AU23 0.017.
constexpr std::array<double, kNumAus> kTargetRates = detail::targetRatesFromPositives();

/// How activation episodes are shaped; all lengths in frames.
struct ActivationOptions {
  double mean_episode_frames = 45;  ///< mean length of one episode, ramps included
  double ramp_frames = 8;           ///< mean length of the onset and of the offset ramp (>= 4 used)
  double rate_scale = 1.0;          ///< multiplies every target rate (capped at 0.85)
};

/// Intensities for `frames` consecutive frames of one video. Every AU is a sequence of episodes
/// (cosine onset ramp, apex at a random peak in [0.6, 1], cosine offset ramp) separated by random
/// gaps, so a frame-to-frame change never exceeds about 0.32. Couplings: an AU26 episode comes
/// with an AU25 episode covering it (95%), an AU12 episode with an AU6 episode (70%); AU24 never
/// overlaps AU25/AU26 and AU15 never overlaps AU12. Deterministic given the state of `rng`.
std::vector<AuIntensity> generateActivations(int frames, au::Rng& rng,
                                             const ActivationOptions& opt = {});

/// Binary labels of one frame: 1 where intensity >= kLabelThreshold.
AuLabels labelsOf(const AuIntensity& intensity);

}  // namespace au::synth
