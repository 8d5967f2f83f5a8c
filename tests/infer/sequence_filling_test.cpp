#include "infer/sequence_filling.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace au::infer {
namespace {

// Frames whose AU1 holds `values` (other AUs 0).
std::vector<FrameProbabilities> au1(const std::vector<float>& values) {
  std::vector<FrameProbabilities> frames(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    frames[i].fill(0);
    frames[i][0] = values[i];
  }
  return frames;
}
std::vector<float> au1Of(const std::vector<FrameProbabilities>& frames) {
  std::vector<float> out;
  for (const auto& f : frames) out.push_back(f[0]);
  return out;
}

TEST(FillMissing, NearestTakesTheCloserFaceAndTheEarlierOnATie) {
  auto f = au1({0.2f, -1, -1, -1, 0.8f, -1});
  fillMissing(f, {true, false, false, false, true, false}, FillMode::kNearest);
  // frame 2 -> frame 1 (0.2); frame 3 ties -> earlier (0.2); frame 4 -> frame 5; the end -> last
  // face
  EXPECT_EQ(au1Of(f), (std::vector<float>{0.2f, 0.2f, 0.2f, 0.8f, 0.8f, 0.8f}));
}

TEST(FillMissing, LinearInterpolatesBetweenFacesAndCopiesAtTheEnds) {
  auto f = au1({-1, 0.2f, -1, -1, -1, 0.6f, -1});
  fillMissing(f, {false, true, false, false, false, true, false}, FillMode::kLinear);
  const auto v = au1Of(f);
  const std::vector<float> expected{0.2f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.6f};
  for (size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], expected[i], 1e-6) << i;
}

TEST(FillMissing, AVideoWithoutFacesGetsTheEmptyValue) {
  auto f = au1({0.9f, 0.9f});
  fillMissing(f, {false, false}, FillMode::kLinear, 0.25f);
  EXPECT_EQ(au1Of(f), (std::vector<float>{0.25f, 0.25f}));
  EXPECT_EQ(f[1][11], 0.25f);
  std::vector<FrameProbabilities> none;
  fillMissing(none, {}, FillMode::kNearest);  // an empty video is fine
  EXPECT_THROW(parseFillMode("cubic"), UsageError);
}

TEST(Smoothing, CentredMeanShrinksAtTheEnds) {
  auto f = au1({0, 3, 6, 9, 12});
  smoothMovingAverage(f, 3);
  // ends: mean of 2 frames; inside: mean of 3
  EXPECT_EQ(au1Of(f), (std::vector<float>{1.5f, 3, 6, 9, 10.5f}));
  auto g = au1({1, 2, 3, 4, 5});
  smoothMovingAverage(g, 5);
  EXPECT_EQ(au1Of(g), (std::vector<float>{2, 2.5f, 3, 3.5f, 4}));
}

TEST(Smoothing, WindowOneOrZeroChangesNothingAndEvenWindowsAreRefused) {
  const auto original = au1({0.1f, 0.7f, 0.3f});
  auto f = original;
  smoothMovingAverage(f, 1);
  smoothMovingAverage(f, 0);
  EXPECT_EQ(au1Of(f), au1Of(original));
  EXPECT_THROW(smoothMovingAverage(f, 4), UsageError);
  auto single = au1({0.4f});
  smoothMovingAverage(single, 9);  // a one-frame video keeps its value
  EXPECT_EQ(au1Of(single), (std::vector<float>{0.4f}));
}

}  // namespace
}  // namespace au::infer
