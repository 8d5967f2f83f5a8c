#include "synth/au_activations.h"

#include <algorithm>
#include <cmath>

namespace au::synth {
namespace {

constexpr int kMinRampFrames = 4;  // keeps the steepest cosine-ramp step below pi/10 ~ 0.32
constexpr double kPeakLow = 0.6;
constexpr double kPeakHigh = 1.0;
constexpr double kJawWithLipsPart = 0.95;  // P(AU25 episode | AU26 episode)
constexpr double kSmileWithCheeks = 0.70;  // P(AU6 episode | AU12 episode)
constexpr double kMaxRate = 0.85;

struct Episode {
  int start = 0;
  int onset = kMinRampFrames;
  int apex = 1;
  int offset = kMinRampFrames;
  float peak = 1.0f;
  int length() const { return onset + apex + offset; }
};

// Value of a cosine ramp after `step` of `frames` frames (exclusive of both ends: 0 and 1).
double rampValue(int step, int frames) {
  return 0.5 * (1.0 - std::cos(M_PI * (step + 1) / (frames + 1)));
}

int rampFrames(double u, const ActivationOptions& opt) {
  return std::max(kMinRampFrames, static_cast<int>(std::lround(opt.ramp_frames * (0.7 + 0.6 * u))));
}

// The shape of one episode from four uniforms in [0, 1); start is left at 0.
Episode shapeEpisode(double u_onset, double u_offset, double u_length, double u_peak,
                     const ActivationOptions& opt) {
  Episode e;
  e.onset = rampFrames(u_onset, opt);
  e.offset = rampFrames(u_offset, opt);
  const int length = static_cast<int>(std::lround(opt.mean_episode_frames * (0.5 + u_length)));
  e.apex = std::max(1, length - e.onset - e.offset);
  e.peak = static_cast<float>(kPeakLow + (kPeakHigh - kPeakLow) * u_peak);
  return e;
}

Episode sampleEpisode(au::Rng& rng, const ActivationOptions& opt) {
  const double a = rng.uniform(), b = rng.uniform(), c = rng.uniform(), d = rng.uniform();
  return shapeEpisode(a, b, c, d, opt);
}

int positiveFrames(const Episode& e) {
  int count = e.apex;
  for (int t = 0; t < e.onset; ++t) count += e.peak * rampValue(t, e.onset) >= kLabelThreshold;
  for (int t = 0; t < e.offset; ++t) count += e.peak * rampValue(t, e.offset) >= kLabelThreshold;
  return count;
}

// Mean positive frames and mean total length of an episode, by a midpoint grid over the four
// uniforms, so that gap lengths can be set to hit a target rate without consuming randomness.
struct EpisodeStats {
  double positive = 0;
  double length = 0;
};

EpisodeStats episodeStats(const ActivationOptions& opt) {
  constexpr int kGrid = 8;
  EpisodeStats stats;
  int n = 0;
  for (int i = 0; i < kGrid; ++i)
    for (int j = 0; j < kGrid; ++j)
      for (int k = 0; k < kGrid; ++k)
        for (int l = 0; l < kGrid; ++l) {
          const Episode e = shapeEpisode((i + 0.5) / kGrid, (j + 0.5) / kGrid, (k + 0.5) / kGrid,
                                         (l + 0.5) / kGrid, opt);
          stats.positive += positiveFrames(e);
          stats.length += e.length();
          ++n;
        }
  stats.positive /= n;
  stats.length /= n;
  return stats;
}

// Alternating gaps (exponential) and episodes whose long-run positive rate is `rate`. An episode
// that would overlap a frame in `blocked` is pushed past the blocked run, so implausible pairs
// never co-occur. The first cycle starts before frame 0 so that frame 0 is not special.
std::vector<Episode> runProcess(int frames, double rate, const EpisodeStats& stats,
                                const ActivationOptions& opt, au::Rng& rng,
                                const std::vector<uint8_t>* blocked) {
  std::vector<Episode> episodes;
  if (rate <= 0.0) return episodes;
  const double mean_gap = std::max(1.0, stats.positive / rate - stats.length);
  auto gap = [&] {
    return std::max(1, static_cast<int>(std::lround(-mean_gap * std::log(1.0 - rng.uniform()))));
  };
  int f = -static_cast<int>(rng.uniform() * (stats.length + mean_gap));
  while (f < frames) {
    Episode e = sampleEpisode(rng, opt);
    if (blocked) {
      for (;;) {
        const int end = std::min(frames, f + e.length());
        int b = std::max(0, f);
        while (b < end && !(*blocked)[b]) ++b;
        if (b >= end) break;
        while (b < frames && (*blocked)[b]) ++b;
        f = b + 2;  // a short neutral margin after the conflicting expression
      }
      if (f >= frames) break;
    }
    e.start = f;
    episodes.push_back(e);
    f += e.length() + gap();
  }
  return episodes;
}

void paint(std::vector<AuIntensity>& out, int au, const Episode& e) {
  const int frames = static_cast<int>(out.size());
  for (int t = 0; t < e.length(); ++t) {
    const int f = e.start + t;
    if (f < 0) continue;
    if (f >= frames) break;
    double v = e.peak;
    if (t < e.onset) {
      v = e.peak * rampValue(t, e.onset);
    } else if (t >= e.onset + e.apex) {
      v = e.peak * (1.0 - rampValue(t - e.onset - e.apex, e.offset));
    }
    // Overlapping episodes combine by max, which keeps the frame-to-frame bound of each.
    out[f][au] = std::max(out[f][au], static_cast<float>(v));
  }
}

void paintAll(std::vector<AuIntensity>& out, int au, const std::vector<Episode>& episodes) {
  for (const auto& e : episodes) paint(out, au, e);
}

std::vector<uint8_t> activeMask(const std::vector<AuIntensity>& out, int au) {
  std::vector<uint8_t> mask(out.size());
  for (size_t f = 0; f < out.size(); ++f) mask[f] = out[f][au] > 0.0f;
  return mask;
}

// Own rate of an AU that also receives coupled episodes covering a fraction `coupled` of frames:
// 1 - (1 - own)(1 - coupled) = target, assuming independence.
double ownRate(double target, double coupled) {
  const double own = 1.0 - (1.0 - target) / std::max(1e-6, 1.0 - coupled);
  return std::max(0.2 * target, own);
}

}  // namespace

std::vector<AuIntensity> generateActivations(int frames, au::Rng& rng,
                                             const ActivationOptions& opt) {
  std::vector<AuIntensity> out(std::max(0, frames));
  for (auto& row : out) row.fill(0.0f);
  if (frames <= 0) return out;

  std::array<double, kNumAus> target{};
  for (int k = 0; k < kNumAus; ++k)
    target[k] = std::min(kMaxRate, std::max(0.0, kTargetRates[k] * opt.rate_scale));
  const EpisodeStats stats = episodeStats(opt);

  // One draw from the caller's generator; every AU then has its own stream, so changing one AU's
  // process does not shift the others.
  const uint64_t base = rng.next();
  auto stream = [&](uint64_t key) { return au::Rng(base, {key}); };

  // Rare "blocking" AUs first, so the frequent conflicting ones can avoid them.
  {
    auto r = stream(kAu24);
    paintAll(out, kAu24, runProcess(frames, target[kAu24], stats, opt, r, nullptr));
  }
  {
    auto r = stream(kAu15);
    paintAll(out, kAu15, runProcess(frames, target[kAu15], stats, opt, r, nullptr));
  }
  const auto pressed = activeMask(out, kAu24);
  const auto depressed = activeMask(out, kAu15);

  // Jaw drop, with lips part covering it (starting a little before, ending a little after, at
  // least as strong), then lips part on its own.
  {
    auto r = stream(kAu26);
    const auto jaw = runProcess(frames, target[kAu26], stats, opt, r, &pressed);
    paintAll(out, kAu26, jaw);
    auto rc = stream(100 + kAu25);
    for (const auto& e : jaw) {
      if (!rc.bernoulli(kJawWithLipsPart)) continue;
      const int lead = 1 + static_cast<int>(rc.below(3));
      const int lag = 1 + static_cast<int>(rc.below(4));
      Episode c = e;
      c.start = e.start - lead;
      c.apex = e.apex + lead + lag;
      c.peak = std::max(e.peak, static_cast<float>(rc.uniform(kPeakLow, kPeakHigh)));
      paint(out, kAu25, c);
    }
    auto r25 = stream(kAu25);
    // Coupled episodes are ~15% longer than the jaw episodes they cover.
    const double own = ownRate(target[kAu25], kJawWithLipsPart * target[kAu26] * 1.15);
    paintAll(out, kAu25, runProcess(frames, own, stats, opt, r25, &pressed));
  }

  // Smile, with cheek raiser most of the time, then cheek raiser on its own.
  {
    auto r = stream(kAu12);
    const auto smile = runProcess(frames, target[kAu12], stats, opt, r, &depressed);
    paintAll(out, kAu12, smile);
    auto rc = stream(100 + kAu6);
    for (const auto& e : smile) {
      if (!rc.bernoulli(kSmileWithCheeks)) continue;
      Episode c = e;
      c.start = e.start + static_cast<int>(rc.below(5)) - 2;
      c.apex = std::max(1, e.apex + static_cast<int>(rc.below(5)) - 2);
      c.peak = static_cast<float>(rc.uniform(kPeakLow, kPeakHigh));
      paint(out, kAu6, c);
    }
    auto r6 = stream(kAu6);
    const double own = ownRate(target[kAu6], kSmileWithCheeks * target[kAu12]);
    paintAll(out, kAu6, runProcess(frames, own, stats, opt, r6, nullptr));
  }

  for (int k : {kAu1, kAu2, kAu4, kAu7, kAu10, kAu23}) {
    auto r = stream(k);
    paintAll(out, k, runProcess(frames, target[k], stats, opt, r, nullptr));
  }
  return out;
}

AuLabels labelsOf(const AuIntensity& intensity) {
  AuLabels labels{};
  for (int k = 0; k < kNumAus; ++k) labels[k] = intensity[k] >= kLabelThreshold ? 1 : 0;
  return labels;
}

}  // namespace au::synth
