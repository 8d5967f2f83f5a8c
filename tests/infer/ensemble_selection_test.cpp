#include "infer/ensemble_selection.h"

#include <gtest/gtest.h>

#include "../io/test_dirs.h"
#include "common/error.h"

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

Candidate candidate(const std::string& name, const ValidationFrames& f, const std::array<bool, io::kNumAus>& good) {
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

TEST(EnsembleSpec, RoundTripAndMissingFilesNamed) {
  const auto dir = testing::freshDir("spec");
  testing::writeText(dir / "a.pt", "x");
  testing::writeText(dir / "a.ini", "x");
  EnsembleSpec spec;
  spec.checkpoints.push_back({"run/epoch_001", (dir / "a.pt").string(), (dir / "a.ini").string()});
  for (auto& c : spec.aus) c = {0, 0.42f, 5};
  writeSpec((dir / "spec.json").string(), spec);
  const auto back = readSpec((dir / "spec.json").string());
  EXPECT_EQ(back.checkpoints[0].checkpoint, spec.checkpoints[0].checkpoint);
  EXPECT_FLOAT_EQ(back.aus[11].threshold, 0.42f);
  EXPECT_EQ(back.aus[3].window, 5);
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
