#include "infer/ensemble_selection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "../io/test_dirs.h"
#include "common/error.h"
#include "infer/threshold_tuning.h"
#include "infer/video_folds.h"
#include "metrics/validation_csv.h"

namespace au::infer {
namespace {

constexpr int kFrames = 60;

// One video of kFrames frames; every AU's truth alternates in blocks of 10 frames.
ValidationFrames crafted() {
  ValidationFrames f;
  for (int i = 0; i < kFrames; ++i) {
    f.video.push_back("v");
    f.frame.push_back(i + 1);
    io::AuLabels y{};
    y.fill(static_cast<signed char>((i / 10) % 2));
    f.labels.push_back(y);
  }
  return f;
}

Candidate candidate(const std::string& name, const ValidationFrames& f,
                    const std::array<bool, io::kNumAus>& good) {
  Candidate c;
  c.name = name;
  c.checkpoint = name + ".pt";
  c.config = name + ".ini";
  for (int i = 0; i < kFrames; ++i) {
    FrameProbabilities p{};
    for (int a = 0; a < io::kNumAus; ++a) {
      const int y = f.labels[static_cast<size_t>(i)][a];
      // good AUs: right at 0.5; bad AUs: right for the first half of the frames only.
      p[a] = (good[a] || i < kFrames / 2) ? (y ? 0.9f : 0.1f) : (y ? 0.1f : 0.9f);
    }
    c.probs.push_back(p);
  }
  return c;
}

// A deterministic pseudo-random stream (64-bit LCG): the same numbers on every platform.
class Stream {
 public:
  explicit Stream(uint64_t seed) : state_(seed) {}
  double uniform() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * 0x1.0p-53;
  }
  double normal() {  // Irwin-Hall: the sum of 12 uniforms, minus 6
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += uniform();
    return sum - 6;
  }

 private:
  uint64_t state_;
};

struct Crafted {
  ValidationFrames frames;
  std::vector<Candidate> candidates;
};

// `videos` videos of 120..240 frames (every 17th frame missing); each AU's truth in blocks.
// Candidate c's probability is sigmoid(skill * (2y - 1) + shift[video][au] + AR(1) noise): each
// video has its own calibration shift (sd `shift`), as real videos do. Rounded to 1e-4 as in a CSV.
Crafted shiftedVideos(int videos, double shift, int candidates, uint64_t seed) {
  Stream rng(seed);
  Crafted d;
  d.candidates.resize(static_cast<size_t>(candidates));
  std::vector<std::array<double, io::kNumAus>> skill(static_cast<size_t>(candidates));
  for (int c = 0; c < candidates; ++c) {
    auto& cand = d.candidates[static_cast<size_t>(c)];
    cand.name = "run/epoch_00" + std::to_string(c + 1);
    cand.checkpoint = cand.name + ".pt";
    cand.config = "run/config.ini";
    for (auto& s : skill[static_cast<size_t>(c)]) s = 1.0 + rng.uniform();
  }
  for (int v = 0; v < videos; ++v) {
    const int n = 120 + static_cast<int>(rng.uniform() * 120);
    std::array<double, io::kNumAus> offset, rate;
    for (int a = 0; a < io::kNumAus; ++a) {
      offset[a] = shift * rng.normal();
      rate[a] = 0.1 + 0.3 * rng.uniform();
    }
    io::AuLabels y{};
    std::vector<std::array<double, io::kNumAus>> noise(static_cast<size_t>(candidates));
    for (auto& e : noise) e.fill(0.0);
    for (int i = 1; i <= n; ++i) {
      for (int a = 0; a < io::kNumAus; ++a)
        if (i == 1 || rng.uniform() < 0.04)
          y[a] = static_cast<signed char>(rng.uniform() < rate[a]);
      for (auto& e : noise)
        for (auto& x : e) x = 0.8 * x + 0.6 * rng.normal();
      if (i % 17 == 0) continue;
      d.frames.video.push_back("video" + std::to_string(10 + v));
      d.frames.frame.push_back(i);
      d.frames.labels.push_back(y);
      for (size_t c = 0; c < d.candidates.size(); ++c) {
        FrameProbabilities p;
        for (int a = 0; a < io::kNumAus; ++a) {
          const double z = skill[c][a] * (2 * y[a] - 1) + offset[a] + noise[c][a];
          p[a] = static_cast<float>(std::round(1e4 / (1 + std::exp(-z))) / 1e4);
        }
        d.candidates[c].probs.push_back(p);
      }
    }
  }
  return d;
}

TEST(EnsembleSelection, PicksTheBestCheckpointPerAu) {
  const auto f = crafted();
  std::array<bool, io::kNumAus> a_good{}, b_good{};
  a_good.fill(false);
  b_good.fill(true);
  a_good[0] = true;   // A is right on AU1 only
  b_good[0] = false;  // B everywhere else
  const auto s = selectEnsemble({candidate("A", f, a_good), candidate("B", f, b_good)}, f, {});
  ASSERT_EQ(s.spec.checkpoints.size(), 2u);
  EXPECT_EQ(s.spec.checkpoints[static_cast<size_t>(s.spec.aus[0].checkpoint)].name, "A");
  for (int a = 1; a < io::kNumAus; ++a)
    EXPECT_EQ(s.spec.checkpoints[static_cast<size_t>(s.spec.aus[a].checkpoint)].name, "B") << a;
  EXPECT_DOUBLE_EQ(s.report[1].scores.mean_f1, 1.0);  // the selection is perfect at 0.5
  EXPECT_LT(s.report[0].scores.mean_f1, 1.0);         // no single checkpoint is
}

TEST(EnsembleSelection, TunesThresholdsToTheKnownOptimum) {
  auto f = crafted();
  std::array<bool, io::kNumAus> good{};
  good.fill(true);
  auto c = candidate("A", f, good);
  for (auto& p : c.probs)
    for (auto& v : p) v = v > 0.5f ? 0.3f : 0.2f;  // separable, but everything below 0.5
  const auto s = selectEnsemble({c}, f, {1, "linear"});
  EXPECT_DOUBLE_EQ(s.report[1].scores.mean_f1, 0.0);
  EXPECT_DOUBLE_EQ(s.report[2].scores.mean_f1, 1.0);
  for (int a = 0; a < io::kNumAus; ++a) EXPECT_FLOAT_EQ(s.spec.aus[a].threshold, 0.3f);
}

TEST(EnsembleSelection, SmoothingWindowRemovesIsolatedSpikes) {
  auto f = crafted();
  std::array<bool, io::kNumAus> good{};
  good.fill(true);
  auto c = candidate("A", f, good);
  // A one-frame spike in the middle of every block (alternately up and down) at 0.6 / 0.4,
  // which no threshold can separate from the true frames at 0.9 / 0.1 without smoothing:
  for (int i = 5; i < kFrames; i += 10)
    for (auto& v : c.probs[static_cast<size_t>(i)]) v = v > 0.5f ? 0.05f : 0.95f;
  const auto s = selectEnsemble({c}, f, {9, "linear"});
  EXPECT_LT(s.report[2].scores.mean_f1, 1.0);
  EXPECT_DOUBLE_EQ(s.report[3].scores.mean_f1, 1.0);
  for (int a = 0; a < io::kNumAus; ++a) {
    EXPECT_GT(s.spec.aus[a].window, 1) << a;
    EXPECT_EQ(s.spec.aus[a].window % 2, 1) << a;
  }
}

TEST(EnsembleSelection, SmoothingFillsGapsInsideAVideo) {
  ValidationFrames f;
  for (int frame : {1, 2, 4}) {  // frame 3 has no validation row
    f.video.push_back("v");
    f.frame.push_back(frame);
    f.labels.push_back({});
  }
  std::vector<FrameProbabilities> p(3);
  p[0].fill(0.0f);
  p[1].fill(0.3f);
  p[2].fill(0.9f);
  const auto out = smoothOverVideos(p, f, 3, FillMode::kLinear);
  // frame 3 is filled with 0.6; frame 2 -> (0 + 0.3 + 0.6) / 3; frame 4 -> (0.6 + 0.9) / 2
  EXPECT_NEAR(out[1][0], 0.3f, 1e-6);
  EXPECT_NEAR(out[2][0], 0.75f, 1e-6);
}

// Frames of the named videos with the given row counts, in the order given.
ValidationFrames videosOfSizes(const std::vector<std::pair<std::string, int>>& videos) {
  ValidationFrames f;
  for (const auto& [name, n] : videos)
    for (int i = 1; i <= n; ++i) {
      f.video.push_back(name);
      f.frame.push_back(i);
      f.labels.push_back({});
    }
  return f;
}

TEST(VideoFolds, BalancedWholeVideosAndDeterministic) {
  const auto f = videosOfSizes({{"c", 10}, {"a", 30}, {"e", 5}, {"b", 20}, {"d", 20}});
  const auto folds = assignVideoFolds(f, 2);
  // Largest first, equal counts in name order: a(30)->0, b(20)->1, d(20)->1, c(10)->0, e(5)->0 (tie
  // 40/40).
  ASSERT_EQ(folds.count(), 2);
  EXPECT_EQ(folds.videos[0], (std::vector<std::string>{"a", "c", "e"}));
  EXPECT_EQ(folds.videos[1], (std::vector<std::string>{"b", "d"}));
  for (size_t i = 0; i < f.video.size(); ++i)
    EXPECT_EQ(folds.row_fold[i], f.video[i] == "b" || f.video[i] == "d");
  // Held-out and tuning rows split every row, whole videos only.
  const auto held = folds.rows(1, true), tuning = folds.rows(1, false);
  EXPECT_EQ(held.size(), 40u);
  EXPECT_EQ(held.size() + tuning.size(), f.video.size());
  // The same videos in another file order: the same folds.
  EXPECT_EQ(
      assignVideoFolds(videosOfSizes({{"d", 20}, {"e", 5}, {"a", 30}, {"b", 20}, {"c", 10}}), 2)
          .videos,
      folds.videos);
}

TEST(VideoFolds, FewerVideosThanFoldsIsLeaveOneVideoOut) {
  const auto folds = assignVideoFolds(videosOfSizes({{"x", 7}, {"y", 9}, {"z", 7}}), 5);
  ASSERT_EQ(folds.count(), 3);
  EXPECT_EQ(folds.videos[0], std::vector<std::string>{"y"});
  EXPECT_EQ(folds.videos[1], std::vector<std::string>{"x"});
  EXPECT_EQ(folds.videos[2], std::vector<std::string>{"z"});
  EXPECT_EQ(assignVideoFolds(videosOfSizes({{"x", 7}}), 5).count(), 1);
}

TEST(VideoFolds, BothPeopleOfARecordingStayInOneFold) {
  // v1_left + v1_right (25 rows together) is one raw video; it goes first, as the largest.
  const auto folds = assignVideoFolds(
      videosOfSizes({{"v1_left", 15}, {"v1_right", 10}, {"v2", 20}, {"v3", 12}}), 3);
  ASSERT_EQ(folds.count(), 3);
  EXPECT_EQ(folds.videos[0], (std::vector<std::string>{"v1_left", "v1_right"}));
  EXPECT_EQ(folds.videos[1], std::vector<std::string>{"v2"});
  EXPECT_EQ(folds.videos[2], std::vector<std::string>{"v3"});
}

TEST(ThresholdTuning, RulesOnAKnownCurve) {
  // Positives 0.9 0.8 0.7, negatives 0.3 0.2 0.1: F1 0.5, 0.8, 1, 6/7, 0.75, 2/3 as the threshold
  // falls through them.
  const std::vector<float> values{0.9f, 0.8f, 0.7f, 0.3f, 0.2f, 0.1f};
  const std::vector<int8_t> truth{1, 1, 1, 0, 0, 0};
  EXPECT_FLOAT_EQ(chooseThreshold(values, truth, {TuningMode::kExact}).threshold, 0.7f);
  EXPECT_FLOAT_EQ(chooseThreshold(values, truth, {TuningMode::kPlateau, 0.0}).threshold, 0.7f);
  // Within 0.2 of the best: 0.3, 0.7, 0.8 -> the median 0.7; within 0.25 also 0.2 -> the lower
  // median 0.3.
  EXPECT_FLOAT_EQ(chooseThreshold(values, truth, {TuningMode::kPlateau, 0.2}).threshold, 0.7f);
  EXPECT_FLOAT_EQ(chooseThreshold(values, truth, {TuningMode::kPlateau, 0.25}).threshold, 0.3f);
  // Shrunk: 3 positives against a prior of 1 -> 0.75 * 0.7 + 0.25 * 0.5.
  EXPECT_FLOAT_EQ(chooseThreshold(values, truth, {TuningMode::kShrunk, 0, 1}).threshold, 0.65f);
  EXPECT_FLOAT_EQ(chooseThreshold(values, truth, {TuningMode::kFixed}).threshold, 0.5f);
  const std::vector<double> by_width{0.80, 0.85, 0.86, 0.84};
  EXPECT_EQ(chooseWindow(by_width, {TuningMode::kExact}), 2u);
  EXPECT_EQ(chooseWindow(by_width, {TuningMode::kPlateau, 0.01}), 1u);
  EXPECT_EQ(chooseWindow(by_width, {TuningMode::kFixed}), 0u);
}

TEST(EnsembleSelection, CrossValidatedScoreIsComputableByHand) {
  // Video a: positives at 0.8, 0.7, negatives 0.3, 0.2 (best threshold 0.7); video b: positives
  // 0.4, 0.35, negatives 0.1, 0.05 (best 0.35). Tuned on both: 0.35 separates all (F1 1). Held
  // out: a with b's 0.35 -> TP 2, TN 2; b with a's 0.7 -> FN 2, TN 2. Pooled: TP 2, FN 2, TN 4.
  ValidationFrames f;
  Candidate c{"run/epoch_001", "e.pt", "c.ini", {}, {}};
  const std::vector<std::pair<float, int>> rows{{0.8f, 1}, {0.3f, 0}, {0.7f, 1},  {0.2f, 0},
                                                {0.4f, 1}, {0.1f, 0}, {0.35f, 1}, {0.05f, 0}};
  for (size_t i = 0; i < rows.size(); ++i) {
    f.video.push_back(i < 4 ? "a" : "b");
    f.frame.push_back(static_cast<int>(i % 4) + 1);
    io::AuLabels y;
    y.fill(static_cast<signed char>(rows[i].second));
    f.labels.push_back(y);
    FrameProbabilities p;
    p.fill(rows[i].first);
    c.probs.push_back(p);
  }
  const auto s = selectEnsemble({c}, f, {1, "linear", "exact", 5});
  EXPECT_EQ(s.cv_folds, 2);
  EXPECT_DOUBLE_EQ(s.report[kWindows].scores.mean_f1, 1.0);
  EXPECT_DOUBLE_EQ(s.report[kWindows].cv.mean_f1, 4.0 / 6.0);  // 2TP / (2TP + FN)
  EXPECT_DOUBLE_EQ(s.report[kWindows].cv.mean_f1_our,
                   (4.0 / 6.0 + 0.8) / 2);  // class 0: 2TN / (2TN + FN)
  EXPECT_DOUBLE_EQ(s.report[kPerAuSelection].scores.mean_f1,
                   4.0 / 6.0);  // 0.5 misses b's positives
  EXPECT_EQ(s.spec.cv_folds, 2);
  EXPECT_DOUBLE_EQ(s.spec.validation_mean_f1_cv, 4.0 / 6.0);
}

TEST(EnsembleSelection, ExactModeSpecIsUnchanged) {
  // The spec the selection wrote before tuning modes existed, for the same frames (per AU: the
  // checkpoint, threshold and window; then the validation scores).
  struct Expected {
    const char* checkpoint;
    float threshold;
    int window;
  };
  const Expected before[io::kNumAus] = {
      {"run/epoch_003", 0.5799500346183777f, 3},   {"run/epoch_003", 0.5592799782752991f, 5},
      {"run/epoch_001", 0.42337608337402344f, 23}, {"run/epoch_001", 0.5499809384346008f, 21},
      {"run/epoch_002", 0.5107444524765015f, 9},   {"run/epoch_003", 0.7297999858856201f, 3},
      {"run/epoch_001", 0.3118394911289215f, 19},  {"run/epoch_002", 0.5032666921615601f, 3},
      {"run/epoch_002", 0.46143636107444763f, 11}, {"run/epoch_003", 0.5026357173919678f, 7},
      {"run/epoch_002", 0.40972664952278137f, 15}, {"run/epoch_001", 0.44529813528060913f, 27}};
  const auto d = shiftedVideos(6, 0.8, 3, 7);
  for (int folds : {1, 5}) {
    const auto s = selectEnsemble(d.candidates, d.frames, {31, "linear", "exact", folds});
    ASSERT_EQ(s.spec.checkpoints.size(), 3u);
    EXPECT_EQ(s.spec.checkpoints[0].name, "run/epoch_003");
    EXPECT_EQ(s.spec.checkpoints[1].name, "run/epoch_001");
    for (int a = 0; a < io::kNumAus; ++a) {
      const auto& c = s.spec.aus[a];
      EXPECT_EQ(s.spec.checkpoints[static_cast<size_t>(c.checkpoint)].name, before[a].checkpoint)
          << a;
      EXPECT_EQ(c.threshold, before[a].threshold) << a;
      EXPECT_EQ(c.window, before[a].window) << a;
    }
    EXPECT_EQ(s.spec.validation_mean_f1, 0.8822091635141605);
    EXPECT_EQ(s.spec.validation_mean_f1_our, 0.9146807921005875);
    EXPECT_EQ(s.spec.cv_folds, folds == 1 ? 0 : 5);
  }
}

// The first `n` videos of `d` (tuning) and the rest (unseen), with the same candidates.
std::pair<Crafted, Crafted> splitVideos(const Crafted& d, int n) {
  std::pair<Crafted, Crafted> out{{{}, d.candidates}, {{}, d.candidates}};
  for (auto* part : {&out.first, &out.second})
    for (auto& c : part->candidates) c.probs.clear();
  int videos = 0;
  for (size_t i = 0; i < d.frames.video.size(); ++i) {
    if (i == 0 || d.frames.video[i] != d.frames.video[i - 1]) ++videos;
    auto& part = videos <= n ? out.first : out.second;
    part.frames.video.push_back(d.frames.video[i]);
    part.frames.frame.push_back(d.frames.frame[i]);
    part.frames.labels.push_back(d.frames.labels[i]);
    for (size_t c = 0; c < d.candidates.size(); ++c)
      part.candidates[c].probs.push_back(d.candidates[c].probs[i]);
  }
  return out;
}

// Mean F1 on `unseen` of the ensemble tuned on every frame of `tuning` with `mode`.
double unseenF1(const Crafted& tuning, const Crafted& unseen, TuningMode mode) {
  const TuningSettings settings{{mode, 0.01, 500}, 31, FillMode::kLinear};
  const auto tuned =
      tuneEnsemble(tuning.candidates, tuning.frames, allRows(tuning.frames), settings);
  const auto counts = applyEnsemble(tuned, unseen.candidates, unseen.frames, allRows(unseen.frames),
                                    FillMode::kLinear);
  return metrics::score(counts[kWindows]).mean_f1;
}

TEST(EnsembleSelection, DefaultDoesAtLeastAsWellAsExactOnUnseenVideos) {
  // 8 validation videos and 12 unseen ones, each video with its own calibration shift.
  const auto [validation, unseen] = splitVideos(shiftedVideos(20, 1.0, 2, 11), 8);
  const auto chosen = selectEnsemble(validation.candidates, validation.frames, {});
  const auto exact =
      selectEnsemble(validation.candidates, validation.frames, {31, "linear", "exact"});
  EXPECT_TRUE(chosen.auto_mode);
  EXPECT_EQ(chosen.cv_folds, 5);
  // Exact wins on the frames it tuned on; the default does at least as well on truly unseen
  // videos. (Cross-validated, auto is at least exact's by construction: it keeps the best mode.)
  EXPECT_GT(exact.report[kWindows].scores.mean_f1, chosen.report[kWindows].scores.mean_f1);
  EXPECT_GE(unseenF1(validation, unseen, chosen.rule.mode),
            unseenF1(validation, unseen, TuningMode::kExact));
  EXPECT_NE(formatSelection(chosen).find("cross-validated over\n"), std::string::npos);
  // Other draws of the same kind of data: the default never falls behind exact on unseen videos.
  for (uint64_t seed = 12; seed < 16; ++seed) {
    const auto [v, u] = splitVideos(shiftedVideos(20, 1.0, 2, seed), 8);
    const auto mode = selectEnsemble(v.candidates, v.frames, {}).rule.mode;
    EXPECT_GE(unseenF1(v, u, mode), unseenF1(v, u, TuningMode::kExact)) << "seed " << seed;
  }
}

TEST(EnsembleSelection, AutoPicksTheBestCrossValidatedModeAndNamesIt) {
  const auto d = shiftedVideos(5, 1.0, 2, 3);
  SelectionOptions options;
  options.tuning = "auto";
  const auto s = selectEnsemble(d.candidates, d.frames, options);
  ASSERT_TRUE(s.auto_mode);
  ASSERT_EQ(s.compared.size(), 4u);
  double best = 0;
  for (const auto& m : s.compared) best = std::max(best, m.cv.mean_f1);
  EXPECT_DOUBLE_EQ(s.report[kWindows].cv.mean_f1, best);
  const std::string text = formatSelection(s);
  EXPECT_NE(text.find("chose " + tuningModeName(s.rule.mode)), std::string::npos) << text;
  for (const auto& m : s.compared)
    EXPECT_NE(text.find(tuningModeName(m.mode) + " "), std::string::npos) << text;
  // The chosen mode tuned alone gives the same spec.
  options.tuning = tuningModeName(s.rule.mode);
  const auto alone = selectEnsemble(d.candidates, d.frames, options);
  for (int a = 0; a < io::kNumAus; ++a)
    EXPECT_EQ(alone.spec.aus[a].threshold, s.spec.aus[a].threshold) << a;
}

TEST(EnsembleSelection, SingleVideoReportsNoCrossValidation) {
  const auto f = crafted();
  std::array<bool, io::kNumAus> good{};
  good.fill(true);
  for (const char* mode : {"shrunk", "auto"}) {
    SelectionOptions options;
    options.tuning = mode;
    const auto s = selectEnsemble({candidate("A", f, good)}, f, options);
    EXPECT_EQ(s.cv_folds, 0);
    EXPECT_EQ(s.spec.cv_folds, 0);
    EXPECT_NE(formatSelection(s).find("no cross-validation: a single validation video"),
              std::string::npos);
  }
  // auto has nothing to compare: it says so and uses exact.
  const auto s = selectEnsemble({candidate("A", f, good)}, f, {});
  EXPECT_EQ(s.rule.mode, TuningMode::kExact);
  EXPECT_NE(formatSelection(s).find("so it used exact"), std::string::npos);
}

TEST(EnsembleSelection, BadOptionsNameTheOption) {
  const auto f = crafted();
  std::array<bool, io::kNumAus> good{};
  good.fill(true);
  const auto c = candidate("A", f, good);
  const auto expectUsage = [&](const SelectionOptions& options, const std::string& name) {
    try {
      selectEnsemble({c}, f, options);
      ADD_FAILURE() << "expected a UsageError naming " << name;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  SelectionOptions o;
  o.tuning = "best";
  expectUsage(o, "--select.tuning");
  o = {};
  o.cv_folds = 0;
  expectUsage(o, "--select.cv_folds");
  o = {};
  o.tolerance = -0.01;
  expectUsage(o, "--select.tolerance");
  o = {};
  o.prior_positives = -1;
  expectUsage(o, "--select.prior_positives");
}

TEST(ValidationResults, AVideoSplitAcrossTheFileIsRejected) {
  // Folds and smoothing take each video's rows as one block: a video that resumes later is bad
  // data.
  const auto dir = testing::freshDir("split_video");
  std::string text = metrics::validationCsvHeader();
  std::string values;
  for (int a = 0; a < io::kNumAus; ++a) values += ",0.5";
  for (int a = 0; a < io::kNumAus; ++a) values += ",0";
  text += "v1,1" + values + "\nv2,1" + values + "\nv1,2" + values + "\n";
  testing::writeText(dir / "run/validation/epoch_001.csv", text);
  ValidationFrames frames;
  try {
    loadCandidates({(dir / "run").string()}, frames);
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_NE(std::string(e.what()).find("v1"), std::string::npos) << e.what();
  }
}

TEST(EnsembleSpec, RoundTripAndMissingFilesNamed) {
  const auto dir = testing::freshDir("spec");
  testing::writeText(dir / "a.pt", "x");
  testing::writeText(dir / "a.ini", "x");
  EnsembleSpec spec;
  spec.checkpoints.push_back(
      {"run/epoch_001", (dir / "a.pt").string(), (dir / "a.ini").string(), {}, ""});
  for (auto& c : spec.aus) c = {0, 0.42f, 5};
  writeSpec((dir / "spec.json").string(), spec);
  const auto back = readSpec((dir / "spec.json").string());
  EXPECT_EQ(back.checkpoints[0].checkpoint, spec.checkpoints[0].checkpoint);
  EXPECT_FLOAT_EQ(back.aus[11].threshold, 0.42f);
  EXPECT_EQ(back.aus[3].window, 5);
  EXPECT_EQ(back.cv_folds, 0);  // written without cross-validation: no fields, as specs from before
  spec.cv_folds = 4;
  spec.validation_mean_f1_cv = 0.25;
  writeSpec((dir / "spec.json").string(), spec);
  EXPECT_DOUBLE_EQ(readSpec((dir / "spec.json").string()).validation_mean_f1_cv, 0.25);
  spec.checkpoints[0].checkpoint = (dir / "gone.pt").string();
  writeSpec((dir / "spec.json").string(), spec);
  try {
    readSpec((dir / "spec.json").string());
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("gone.pt"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace au::infer
