#include "infer/ensemble_tuning.h"

#include <set>

#include "common/error.h"

namespace au::infer {
namespace {

using Choices = std::array<ThresholdChoice, io::kNumAus>;

Thresholds half() {
  Thresholds t;
  t.fill(0.5f);
  return t;
}

// The frames of `rows`, in order.
ValidationFrames subset(const ValidationFrames& frames, const Rows& rows) {
  ValidationFrames out;
  for (size_t i : rows) {
    out.video.push_back(frames.video[i]);
    out.frame.push_back(frames.frame[i]);
    out.labels.push_back(frames.labels[i]);
  }
  return out;
}

// Per row of `rows`, each AU's value from the candidate chosen for it.
std::vector<FrameProbabilities> selected(const std::vector<Candidate>& candidates,
                                         const std::array<size_t, io::kNumAus>& chosen,
                                         const Rows& rows) {
  std::vector<FrameProbabilities> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r)
    for (int a = 0; a < io::kNumAus; ++a) out[r][a] = candidates[chosen[a]].probs[rows[r]][a];
  return out;
}

// Per row of `rows`, the mean of every candidate.
std::vector<FrameProbabilities> averaged(const std::vector<Candidate>& candidates,
                                         const Rows& rows) {
  std::vector<FrameProbabilities> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r)
    for (int a = 0; a < io::kNumAus; ++a) {
      double sum = 0;
      for (const auto& c : candidates) sum += c.probs[rows[r]][a];
      out[r][a] = static_cast<float>(sum / static_cast<double>(candidates.size()));
    }
  return out;
}

// Per row of `rows`, each AU's value smoothed with that AU's window.
std::vector<FrameProbabilities> windowed(const std::vector<FrameProbabilities>& probs,
                                         const ValidationFrames& frames,
                                         const std::array<int, io::kNumAus>& window,
                                         FillMode fill) {
  std::vector<FrameProbabilities> out(probs.size());
  for (int w : std::set<int>(window.begin(), window.end())) {
    const auto smoothed = smoothOverVideos(probs, frames, w, fill);
    for (int a = 0; a < io::kNumAus; ++a)
      if (window[a] == w)
        for (size_t i = 0; i < out.size(); ++i) out[i][a] = smoothed[i][a];
  }
  return out;
}

metrics::AuCounts countAt(const std::vector<FrameProbabilities>& probs,
                          const std::vector<io::AuLabels>& labels, const Thresholds& thresholds) {
  metrics::AuCounts counts;
  for (size_t i = 0; i < probs.size(); ++i)
    metrics::accumulate(counts, labels[i], probs[i].data(), thresholds);
  return counts;
}

// One candidate at 0.5 on `rows`, read in place (selection scores every candidate).
metrics::AuCounts candidateAtHalf(const Candidate& c, const ValidationFrames& frames,
                                  const Rows& rows) {
  metrics::AuCounts counts;
  const Thresholds at_half = half();
  for (size_t i : rows) metrics::accumulate(counts, frames.labels[i], c.probs[i].data(), at_half);
  return counts;
}

// Per AU the rule's threshold on one AU column of `probs`.
Choices chooseThresholds(const std::vector<FrameProbabilities>& probs,
                         const std::vector<io::AuLabels>& labels, const TuningRule& rule) {
  Choices out;
  std::vector<float> column(probs.size());
  std::vector<int8_t> truth(probs.size());
  for (int a = 0; a < io::kNumAus; ++a) {
    for (size_t i = 0; i < probs.size(); ++i) {
      column[i] = probs[i][a];
      truth[i] = labels[i][a];
    }
    out[a] = chooseThreshold(column, truth, rule);
  }
  return out;
}

Thresholds thresholdsOf(const Choices& choices) {
  Thresholds t;
  for (int a = 0; a < io::kNumAus; ++a) t[a] = choices[a].threshold;
  return t;
}

// Per AU the window the rule picks among the widths 1, 3, ... (and its threshold), from each
// width's choices. The fixed rule never smooths, so it skips the widths.
void tuneWindows(TunedEnsemble& t, const std::vector<FrameProbabilities>& ensemble,
                 const ValidationFrames& sub, const Choices& unsmoothed,
                 const TuningSettings& settings) {
  std::vector<Choices> by_width{unsmoothed};
  if (settings.rule.mode != TuningMode::kFixed)
    for (int w = 3; w <= settings.max_window; w += 2) {
      const auto smoothed = smoothOverVideos(ensemble, sub, w, settings.fill);
      by_width.push_back(chooseThresholds(smoothed, sub.labels, settings.rule));
    }
  for (int a = 0; a < io::kNumAus; ++a) {
    std::vector<double> f1;
    for (const auto& c : by_width) f1.push_back(c[a].best_f1);
    const size_t k = chooseWindow(f1, settings.rule);
    t.window[a] = static_cast<int>(2 * k + 1);
    t.smoothed_thresholds[a] = by_width[k][a].threshold;
  }
}

}  // namespace

std::vector<FrameProbabilities> smoothOverVideos(const std::vector<FrameProbabilities>& probs,
                                                 const ValidationFrames& frames, int window,
                                                 FillMode fill) {
  if (window <= 1) return probs;
  std::vector<FrameProbabilities> out(probs.size());
  // Frames of one video are contiguous in au_train's output, in frame order.
  for (size_t begin = 0; begin < probs.size();) {
    size_t end = begin;
    while (end < probs.size() && frames.video[end] == frames.video[begin]) ++end;
    const int first = frames.frame[begin], last = frames.frame[end - 1];
    AU_CHECK(last >= first, "frames of ", frames.video[begin], " are not in order");
    std::vector<FrameProbabilities> sequence(static_cast<size_t>(last - first + 1));
    std::vector<bool> present(sequence.size(), false);
    for (size_t i = begin; i < end; ++i) {
      const auto at = static_cast<size_t>(frames.frame[i] - first);
      sequence[at] = probs[i];
      present[at] = true;
    }
    fillMissing(sequence, present, fill);
    smoothMovingAverage(sequence, window);
    for (size_t i = begin; i < end; ++i)
      out[i] = sequence[static_cast<size_t>(frames.frame[i] - first)];
    begin = end;
  }
  return out;
}

TunedEnsemble tuneEnsemble(const std::vector<Candidate>& candidates, const ValidationFrames& frames,
                           const Rows& rows, const TuningSettings& settings) {
  AU_CHECK(!candidates.empty(), "no candidates");
  TunedEnsemble t;
  std::vector<metrics::AuScores> single;
  for (size_t c = 0; c < candidates.size(); ++c) {
    single.push_back(metrics::score(candidateAtHalf(candidates[c], frames, rows)));
    if (single[c].mean_f1 > single[t.best_single].mean_f1) t.best_single = c;
  }
  for (int a = 0; a < io::kNumAus; ++a)
    for (size_t c = 0; c < candidates.size(); ++c)
      if (single[c].f1[a] > single[t.chosen[a]].f1[a]) t.chosen[a] = c;

  const auto sub = subset(frames, rows);
  const auto ensemble = selected(candidates, t.chosen, rows);
  const auto unsmoothed = chooseThresholds(ensemble, sub.labels, settings.rule);
  t.thresholds = thresholdsOf(unsmoothed);
  tuneWindows(t, ensemble, sub, unsmoothed, settings);
  t.mean_thresholds =
      thresholdsOf(chooseThresholds(averaged(candidates, rows), sub.labels, settings.rule));
  return t;
}

StepCounts applyEnsemble(const TunedEnsemble& tuned, const std::vector<Candidate>& candidates,
                         const ValidationFrames& frames, const Rows& rows, FillMode fill) {
  const auto sub = subset(frames, rows);
  const auto ensemble = selected(candidates, tuned.chosen, rows);
  const auto mean = averaged(candidates, rows);
  StepCounts out;
  out[kBestSingle] = candidateAtHalf(candidates[tuned.best_single], frames, rows);
  out[kPerAuSelection] = countAt(ensemble, sub.labels, half());
  out[kThresholds] = countAt(ensemble, sub.labels, tuned.thresholds);
  out[kWindows] =
      countAt(windowed(ensemble, sub, tuned.window, fill), sub.labels, tuned.smoothed_thresholds);
  out[kAveraging] = countAt(mean, sub.labels, half());
  out[kAveragingThresholds] = countAt(mean, sub.labels, tuned.mean_thresholds);
  return out;
}

StepCounts crossValidate(const std::vector<Candidate>& candidates, const ValidationFrames& frames,
                         const VideoFolds& folds, const TuningSettings& settings) {
  AU_CHECK(folds.count() >= 2, "cross-validation needs two folds, not ", folds.count());
  StepCounts pooled;
  for (int f = 0; f < folds.count(); ++f) {
    const auto tuned = tuneEnsemble(candidates, frames, folds.rows(f, false), settings);
    const auto held_out =
        applyEnsemble(tuned, candidates, frames, folds.rows(f, true), settings.fill);
    for (int step = 0; step < kNumSteps; ++step) pooled[step].add(held_out[step]);
  }
  return pooled;
}

}  // namespace au::infer
