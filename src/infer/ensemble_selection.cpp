#include "infer/ensemble_selection.h"

#include <cstdio>
#include <map>

#include "common/error.h"
#include "train/threshold_search.h"

namespace au::infer {
namespace {

using Thresholds = std::array<float, io::kNumAus>;

train::AuScores scoreAt(const std::vector<FrameProbabilities>& probs, const ValidationFrames& frames,
                        const Thresholds& thresholds) {
  train::AuCounts counts;
  for (size_t i = 0; i < probs.size(); ++i) train::accumulate(counts, frames.labels[i], probs[i].data(), thresholds);
  return train::score(counts);
}

Thresholds half() {
  Thresholds t;
  t.fill(0.5f);
  return t;
}

// One AU's column of per-frame values and labels, for the threshold search.
train::ThresholdResult tune(const std::vector<FrameProbabilities>& probs, const ValidationFrames& frames, int au) {
  std::vector<float> column(probs.size());
  std::vector<int8_t> truth(probs.size());
  for (size_t i = 0; i < probs.size(); ++i) {
    column[i] = probs[i][au];
    truth[i] = frames.labels[i][au];
  }
  return train::bestThreshold(column, truth);
}

}  // namespace

std::vector<FrameProbabilities> smoothOverVideos(const std::vector<FrameProbabilities>& probs,
                                                 const ValidationFrames& frames, int window, FillMode fill) {
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
    for (size_t i = begin; i < end; ++i) out[i] = sequence[static_cast<size_t>(frames.frame[i] - first)];
    begin = end;
  }
  return out;
}

Selection selectEnsemble(const std::vector<Candidate>& candidates, const ValidationFrames& frames,
                         const SelectionOptions& options) {
  AU_CHECK(!candidates.empty(), "no candidates");
  if (options.max_window < 1 || options.max_window % 2 == 0)
    AU_THROW(UsageError, "--select.max_window must be odd and positive, not ", options.max_window);
  const FillMode fill = parseFillMode(options.fill);
  Selection s;
  s.spec.fill = options.fill;

  // Each candidate at threshold 0.5: the best single checkpoint, and per AU the best one.
  std::vector<train::AuScores> single;
  size_t best_single = 0;
  for (size_t c = 0; c < candidates.size(); ++c) {
    single.push_back(scoreAt(candidates[c].probs, frames, half()));
    if (single[c].mean_f1 > single[best_single].mean_f1) best_single = c;
  }
  s.report.push_back({"best single checkpoint (" + candidates[best_single].name + "), threshold 0.5", single[best_single]});
  std::array<size_t, io::kNumAus> chosen{};
  for (int a = 0; a < io::kNumAus; ++a)
    for (size_t c = 0; c < candidates.size(); ++c)
      if (single[c].f1[a] > single[chosen[a]].f1[a]) chosen[a] = c;

  // The ensemble's probabilities: each AU from its checkpoint.
  std::vector<FrameProbabilities> ensemble(frames.labels.size());
  for (size_t i = 0; i < ensemble.size(); ++i)
    for (int a = 0; a < io::kNumAus; ++a) ensemble[i][a] = candidates[chosen[a]].probs[i][a];
  s.report.push_back({"per-AU checkpoint selection, threshold 0.5", scoreAt(ensemble, frames, half())});

  Thresholds tuned;
  for (int a = 0; a < io::kNumAus; ++a) tuned[a] = tune(ensemble, frames, a).threshold;
  s.report.push_back({"+ per-AU thresholds", scoreAt(ensemble, frames, tuned)});

  // Windows: per AU the width (and its re-tuned threshold) with the best F1; ties keep the
  // narrower window.
  std::array<int, io::kNumAus> window;
  window.fill(1);
  Thresholds smoothed_thresholds = tuned;
  std::array<double, io::kNumAus> best_f1{};
  for (int a = 0; a < io::kNumAus; ++a) best_f1[a] = tune(ensemble, frames, a).f1;
  std::map<int, std::vector<FrameProbabilities>> by_window{{1, ensemble}};
  for (int w = 3; w <= options.max_window; w += 2) {
    auto smoothed = smoothOverVideos(ensemble, frames, w, fill);
    for (int a = 0; a < io::kNumAus; ++a) {
      const auto r = tune(smoothed, frames, a);
      if (r.f1 > best_f1[a]) {
        best_f1[a] = r.f1;
        window[a] = w;
        smoothed_thresholds[a] = r.threshold;
      }
    }
    by_window.emplace(w, std::move(smoothed));
  }
  std::vector<FrameProbabilities> final_probs(ensemble.size());
  for (size_t i = 0; i < final_probs.size(); ++i)
    for (int a = 0; a < io::kNumAus; ++a) final_probs[i][a] = by_window.at(window[a])[i][a];
  const auto final_scores = scoreAt(final_probs, frames, smoothed_thresholds);
  s.report.push_back({"+ per-AU smoothing windows", final_scores});

  // Plain averaging of every candidate, for comparison.
  std::vector<FrameProbabilities> mean(frames.labels.size());
  for (size_t i = 0; i < mean.size(); ++i)
    for (int a = 0; a < io::kNumAus; ++a) {
      double sum = 0;
      for (const auto& c : candidates) sum += c.probs[i][a];
      mean[i][a] = static_cast<float>(sum / static_cast<double>(candidates.size()));
    }
  const std::string n = std::to_string(candidates.size());
  s.report.push_back({"averaging all " + n + " checkpoints, threshold 0.5", scoreAt(mean, frames, half())});
  Thresholds mean_tuned;
  for (int a = 0; a < io::kNumAus; ++a) mean_tuned[a] = tune(mean, frames, a).threshold;
  s.report.push_back({"averaging all " + n + " checkpoints + per-AU thresholds", scoreAt(mean, frames, mean_tuned)});

  // The spec: each distinct chosen checkpoint once.
  std::map<size_t, int> index;
  for (int a = 0; a < io::kNumAus; ++a) {
    if (!index.count(chosen[a])) {
      index[chosen[a]] = static_cast<int>(s.spec.checkpoints.size());
      const auto& c = candidates[chosen[a]];
      s.spec.checkpoints.push_back({c.name, c.checkpoint, c.config});
    }
    s.spec.aus[a] = {index[chosen[a]], smoothed_thresholds[a], window[a]};
  }
  s.spec.validation_mean_f1 = final_scores.mean_f1;
  s.spec.validation_mean_f1_our = final_scores.mean_f1_our;
  return s;
}

std::string formatSelection(const Selection& s) {
  std::string out = "step                                                      mean F1  F1_our\n";
  char line[512];
  for (const auto& r : s.report) {
    std::snprintf(line, sizeof line, "%-56s  %7.4f  %6.4f\n", r.what.c_str(), r.scores.mean_f1, r.scores.mean_f1_our);
    out += line;
  }
  const auto& final_scores = s.report[3].scores;
  out += "\nAU     F1      threshold  window  checkpoint\n";
  for (int a = 0; a < io::kNumAus; ++a) {
    const auto& c = s.spec.aus[a];
    std::snprintf(line, sizeof line, "%-5s  %.4f  %9.4f  %6d  %s\n", io::kAuNames[a].c_str(), final_scores.f1[a],
                  static_cast<double>(c.threshold), c.window,
                  s.spec.checkpoints[static_cast<size_t>(c.checkpoint)].name.c_str());
    out += line;
  }
  out += "(thresholds and windows are tuned on these validation frames: their gains are optimistic)\n";
  return out;
}

}  // namespace au::infer
