// Tests of the synthetic Aff-Wild2 generator's pieces: AU activation sequences (rates, smoothness,
// co-occurrence) and the face renderer (determinism, where each AU changes the face, variety).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "common/rng.h"
#include "synth/au_activations.h"
#include "synth/face_renderer.h"

namespace au::synth {
namespace {

constexpr int kLongVideo = 200000;

std::vector<AuIntensity> longVideo(uint64_t seed) {
  au::Rng rng(seed);
  return generateActivations(kLongVideo, rng);
}

AuIntensity only(int au, float value = 1.0f) {
  AuIntensity a{};
  a[au] = value;
  return a;
}

// Mean absolute difference over all channels of the rows [y0, y1) and columns [x0, x1).
double meanAbsDiff(const cv::Mat& a, const cv::Mat& b, int y0, int y1, int x0 = 0, int x1 = -1) {
  if (x1 < 0) x1 = a.cols;
  const cv::Rect r(x0, y0, x1 - x0, y1 - y0);
  cv::Mat d;
  cv::absdiff(a(r), b(r), d);
  const cv::Scalar m = cv::mean(d);
  return (m[0] + m[1] + m[2]) / 3.0;
}

// Mean absolute difference over everything outside the rows [y0, y1).
double meanAbsDiffOutsideRows(const cv::Mat& a, const cv::Mat& b, int y0, int y1) {
  double sum = 0;
  int rows = 0;
  if (y0 > 0) {
    sum += meanAbsDiff(a, b, 0, y0) * y0;
    rows += y0;
  }
  if (y1 < a.rows) {
    sum += meanAbsDiff(a, b, y1, a.rows) * (a.rows - y1);
    rows += a.rows - y1;
  }
  return rows > 0 ? sum / rows : 0.0;
}

// ---------------------------------------------------------------- activations

TEST(SynthActivations, TargetTableFollowsPaperCounts) {
  EXPECT_NEAR(kTargetRates[kAu25], 0.45, 1e-12);
  EXPECT_NEAR(kTargetRates[kAu7], 0.45 * 178 / 289, 1e-12);
  EXPECT_NEAR(kTargetRates[kAu23], 0.45 * 11 / 289, 1e-12);
  for (int k = 0; k < kNumAus; ++k) EXPECT_LE(kTargetRates[k], kTargetRates[kAu25]);
}

TEST(SynthActivations, LabelsThresholdAtHalf) {
  AuIntensity a{};
  a[kAu1] = 0.4999f;
  a[kAu2] = 0.5f;
  a[kAu4] = 1.0f;
  a[kAu26] = 0.0f;
  const AuLabels l = labelsOf(a);
  EXPECT_EQ(l[kAu1], 0);
  EXPECT_EQ(l[kAu2], 1);
  EXPECT_EQ(l[kAu4], 1);
  EXPECT_EQ(l[kAu26], 0);
  for (int k = kAu6; k < kAu26; ++k) EXPECT_EQ(l[k], 0);
}

TEST(SynthActivations, DeterministicPerSeedAndAdvancesRng) {
  au::Rng a(42), b(42), c(43);
  const auto va = generateActivations(3000, a);
  const auto vb = generateActivations(3000, b);
  const auto vc = generateActivations(3000, c);
  EXPECT_EQ(va, vb);
  EXPECT_NE(va, vc);
  // The caller's generator moved on: a second video differs from the first.
  EXPECT_NE(generateActivations(3000, a), va);
}

TEST(SynthActivations, EmptyAndTinyVideos) {
  au::Rng rng(1);
  EXPECT_TRUE(generateActivations(0, rng).empty());
  EXPECT_EQ(generateActivations(1, rng).size(), 1u);
  EXPECT_EQ(generateActivations(7, rng).size(), 7u);
}

TEST(SynthActivations, RatesWithinFactorOneAndAHalfOfTargets) {
  const auto v = longVideo(7);
  std::array<double, kNumAus> positives{};
  for (const auto& f : v) {
    const AuLabels l = labelsOf(f);
    for (int k = 0; k < kNumAus; ++k) positives[k] += l[k];
  }
  for (int k = 0; k < kNumAus; ++k) {
    const double rate = positives[k] / v.size();
    EXPECT_GT(rate, kTargetRates[k] / 1.5) << kAuNames[k];
    EXPECT_LT(rate, kTargetRates[k] * 1.5) << kAuNames[k];
  }
}

TEST(SynthActivations, RateScaleScalesRates) {
  au::Rng rng(9);
  ActivationOptions opt;
  opt.rate_scale = 0.5;
  const auto v = generateActivations(kLongVideo, rng, opt);
  double positives = 0;
  for (const auto& f : v) positives += labelsOf(f)[kAu7];
  const double rate = positives / v.size();
  EXPECT_GT(rate, 0.5 * kTargetRates[kAu7] / 1.5);
  EXPECT_LT(rate, 0.5 * kTargetRates[kAu7] * 1.5);
}

TEST(SynthActivations, EpisodesAreSmoothAndLast) {
  const auto v = longVideo(11);
  double max_step = 0;
  for (size_t f = 0; f < v.size(); ++f) {
    for (int k = 0; k < kNumAus; ++k) {
      ASSERT_GE(v[f][k], 0.0f);
      ASSERT_LE(v[f][k], 1.0f);
      if (f > 0) max_step = std::max(max_step, std::fabs(double(v[f][k]) - v[f - 1][k]));
    }
  }
  EXPECT_LT(max_step, 0.35);
  // Positive runs last more than a handful of frames on average (episodes, not flicker).
  for (int k = 0; k < kNumAus; ++k) {
    int runs = 0, positives = 0;
    for (size_t f = 0; f < v.size(); ++f) {
      const bool on = v[f][k] >= kLabelThreshold;
      positives += on;
      runs += on && (f == 0 || v[f - 1][k] < kLabelThreshold);
    }
    ASSERT_GT(runs, 0) << kAuNames[k];
    EXPECT_GT(double(positives) / runs, 15.0) << kAuNames[k];
  }
}

TEST(SynthActivations, CoOccurrences) {
  const auto v = longVideo(13);
  double au26 = 0, au25_and_26 = 0, au12 = 0, au6_and_12 = 0, au24 = 0, au24_and_25 = 0,
         au12_and_15 = 0;
  for (const auto& f : v) {
    const AuLabels l = labelsOf(f);
    au26 += l[kAu26];
    au25_and_26 += l[kAu26] && l[kAu25];
    au12 += l[kAu12];
    au6_and_12 += l[kAu12] && l[kAu6];
    au24 += l[kAu24];
    au24_and_25 += l[kAu24] && l[kAu25];
    au12_and_15 += l[kAu12] && l[kAu15];
  }
  EXPECT_GT(au25_and_26 / au26, 0.8);
  EXPECT_GT(au6_and_12 / au12, 0.5);
  EXPECT_LT(au24_and_25 / au24, 0.05);
  EXPECT_LT(au12_and_15 / au12, 0.02);
}

// ---------------------------------------------------------------- renderer

FaceIdentity identityFor(uint64_t seed) {
  au::Rng rng(seed);
  return sampleIdentity(rng);
}

TEST(SynthRenderer, ShapeAndType) {
  const FaceIdentity id = identityFor(1);
  const cv::Mat face = renderFace(id, FacePose{}, AuIntensity{}, 5);
  EXPECT_EQ(face.rows, 112);
  EXPECT_EQ(face.cols, 112);
  EXPECT_EQ(face.type(), CV_8UC3);
  const cv::Mat big = renderFace(id, FacePose{}, AuIntensity{}, 5, 200);
  EXPECT_EQ(big.rows, 200);
  EXPECT_EQ(big.cols, 200);
}

TEST(SynthRenderer, SameSeedsSameBytesDifferentNoiseSeedDifferentBytes) {
  const FaceIdentity a = identityFor(3), b = identityFor(3);
  AuIntensity au{};
  au[kAu12] = 0.7f;
  au[kAu25] = 0.6f;
  FacePose pose;
  pose.dx = 1.3;
  pose.angle_deg = -2.5;
  const cv::Mat x = renderFace(a, pose, au, 77);
  const cv::Mat y = renderFace(b, pose, au, 77);
  const cv::Mat z = renderFace(a, pose, au, 78);
  EXPECT_EQ(cv::norm(x, y, cv::NORM_INF), 0.0);
  EXPECT_GT(cv::norm(x, z, cv::NORM_L1), 0.0);
  // Noise only: the two noise seeds give images that differ by a few grey levels on average.
  EXPECT_LT(meanAbsDiff(x, z, 0, 112), 12.0);
}

struct AuRegion {
  int au;
  int y0, y1;  // rows of the 112x112 crop where the AU should act
};

// Canonical layout: forehead/brows ~12..50, eyes and cheeks ~40..74, nose base to lower lip
// ~68..108, mouth and chin ~76..112.
const AuRegion kRegions[] = {
    {kAu1, 12, 50},   {kAu2, 12, 50},   {kAu4, 12, 50},   {kAu6, 40, 74},
    {kAu7, 40, 74},   {kAu10, 66, 106}, {kAu12, 66, 106}, {kAu15, 66, 106},
    {kAu23, 66, 106}, {kAu24, 66, 106}, {kAu25, 66, 106}, {kAu26, 76, 112},
};

TEST(SynthRenderer, EachAuChangesItsOwnRegion) {
  for (uint64_t seed : {1, 2, 3, 4, 5, 6}) {
    const FaceIdentity id = identityFor(seed);
    const cv::Mat neutral = renderFace(id, FacePose{}, AuIntensity{}, 100 + seed);
    for (const auto& r : kRegions) {
      const cv::Mat active = renderFace(id, FacePose{}, only(r.au), 100 + seed);
      const double inside = meanAbsDiff(neutral, active, r.y0, r.y1);
      const double outside = meanAbsDiffOutsideRows(neutral, active, r.y0, r.y1);
      EXPECT_GT(inside, 0.25) << kAuNames[r.au] << " identity " << seed;
      EXPECT_GT(inside, 3 * outside) << kAuNames[r.au] << " identity " << seed;
    }
  }
}

TEST(SynthRenderer, ChangeGrowsWithIntensity) {
  const FaceIdentity id = identityFor(8);
  const cv::Mat neutral = renderFace(id, FacePose{}, AuIntensity{}, 9);
  for (const auto& r : kRegions) {
    const double half =
        meanAbsDiff(neutral, renderFace(id, FacePose{}, only(r.au, 0.5f), 9), r.y0, r.y1);
    const double full =
        meanAbsDiff(neutral, renderFace(id, FacePose{}, only(r.au, 1.0f), 9), r.y0, r.y1);
    EXPECT_GT(half, 0.1) << kAuNames[r.au];
    EXPECT_LT(half, full) << kAuNames[r.au];
  }
}

TEST(SynthRenderer, InnerBrowRaiserActsInnerOuterBrowRaiserActsOuter) {
  for (uint64_t seed : {1, 2, 3, 4}) {
    const FaceIdentity id = identityFor(seed);
    const cv::Mat neutral = renderFace(id, FacePose{}, AuIntensity{}, 3);
    const cv::Mat au1 = renderFace(id, FacePose{}, only(kAu1), 3);
    const cv::Mat au2 = renderFace(id, FacePose{}, only(kAu2), 3);
    // Inner: up to 16 columns from the centre (about the eye centres); outer: 16..32 columns.
    auto inner = [&](const cv::Mat& m) { return meanAbsDiff(neutral, m, 14, 47, 40, 72); };
    auto outer = [&](const cv::Mat& m) {
      return 0.5 *
             (meanAbsDiff(neutral, m, 14, 47, 24, 40) + meanAbsDiff(neutral, m, 14, 47, 72, 88));
    };
    EXPECT_GT(inner(au1), 1.3 * outer(au1)) << "identity " << seed;
    EXPECT_GT(outer(au2), 1.3 * inner(au2)) << "identity " << seed;
  }
}

TEST(SynthRenderer, JawDropLengthensTheFaceMoreThanLipsPart) {
  const FaceIdentity id = identityFor(12);
  const cv::Mat neutral = renderFace(id, FacePose{}, AuIntensity{}, 4);
  const cv::Mat lips = renderFace(id, FacePose{}, only(kAu25), 4);
  const cv::Mat jaw = renderFace(id, FacePose{}, only(kAu26), 4);
  // The chin rows (bottom of the crop) move with AU26, hardly with AU25.
  EXPECT_GT(meanAbsDiff(neutral, jaw, 100, 112), 2 * meanAbsDiff(neutral, lips, 100, 112));
}

TEST(SynthRenderer, IdentitiesAreVaried) {
  std::vector<cv::Scalar> means;
  double darkest = 255, lightest = 0;
  for (uint64_t seed = 0; seed < 30; ++seed) {
    const FaceIdentity id = identityFor(1000 + seed);
    means.push_back(cv::mean(renderFace(id, FacePose{}, AuIntensity{}, seed)));
    const double luma = 0.114 * id.skin[0] + 0.587 * id.skin[1] + 0.299 * id.skin[2];
    darkest = std::min(darkest, luma);
    lightest = std::max(lightest, luma);
  }
  EXPECT_GT(lightest - darkest, 100) << "skin tones should span light to dark";
  int close_pairs = 0;
  for (size_t i = 0; i < means.size(); ++i)
    for (size_t j = i + 1; j < means.size(); ++j)
      close_pairs += cv::norm(means[i] - means[j]) < 3.0;
  EXPECT_LE(close_pairs, 3) << "mean colours of different identities should differ";
}

TEST(SynthRenderer, PoseMovesTheFace) {
  const FaceIdentity id = identityFor(5);
  const cv::Mat centred = renderFace(id, FacePose{}, AuIntensity{}, 1);
  FacePose shifted;
  shifted.dx = 3;
  FacePose turned;
  turned.angle_deg = 6;
  EXPECT_GT(meanAbsDiff(centred, renderFace(id, shifted, AuIntensity{}, 1), 0, 112), 2.0);
  EXPECT_GT(meanAbsDiff(centred, renderFace(id, turned, AuIntensity{}, 1), 0, 112), 2.0);
}

TEST(SynthRenderer, PoseWalkIsSmallSmoothAndMoving) {
  au::Rng rng(21);
  FacePose p;
  double max_dx_step = 0, max_angle_step = 0, sum_abs_dx = 0;
  constexpr int kSteps = 20000;
  for (int i = 0; i < kSteps; ++i) {
    const FacePose next = samplePose(rng, p);
    ASSERT_LE(std::fabs(next.dx), 3.0);
    ASSERT_LE(std::fabs(next.dy), 3.0);
    ASSERT_LE(std::fabs(next.scale - 1), 0.06 + 1e-12);
    ASSERT_LE(std::fabs(next.angle_deg), 6.0);
    max_dx_step = std::max(max_dx_step, std::fabs(next.dx - p.dx));
    max_angle_step = std::max(max_angle_step, std::fabs(next.angle_deg - p.angle_deg));
    sum_abs_dx += std::fabs(next.dx);
    p = next;
  }
  EXPECT_LT(max_dx_step, 1.5);
  EXPECT_LT(max_angle_step, 2.5);
  EXPECT_GT(sum_abs_dx / kSteps, 0.3) << "the head should actually move";
}

TEST(SynthRenderer, SceneHasFacesWhereTheRectsSay) {
  std::vector<SceneFace> faces(2);
  faces[0].identity = identityFor(31);
  faces[1].identity = identityFor(32);
  faces[1].au[kAu26] = 1.0f;
  const cv::Mat a = renderScene(faces, 17);
  const cv::Mat b = renderScene(faces, 17);
  ASSERT_EQ(a.rows, 240);
  ASSERT_EQ(a.cols, 320);
  ASSERT_EQ(a.type(), CV_8UC3);
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);

  const cv::Rect frame(0, 0, 320, 240);
  const cv::Rect left = sceneFaceRect(0, 2), right = sceneFaceRect(1, 2);
  EXPECT_EQ(left & frame, left);
  EXPECT_EQ(right & frame, right);
  EXPECT_EQ((left & right).area(), 0);
  EXPECT_EQ(sceneFaceRect(0, 1) & frame, sceneFaceRect(0, 1));

  // Changing the right person's expression changes the right rect, not the left one.
  faces[1].au[kAu26] = 0.0f;
  const cv::Mat c = renderScene(faces, 17);
  EXPECT_EQ(meanAbsDiff(a, c, left.y, left.y + left.height, left.x, left.x + left.width), 0.0);
  EXPECT_GT(meanAbsDiff(a, c, right.y, right.y + right.height, right.x, right.x + right.width),
            0.2);

  // A crop of the scene at the rect looks like the aligned face: the two agree far better than
  // two different identities do.
  cv::Mat crop;
  cv::resize(c(right), crop, cv::Size(112, 112), 0, 0, cv::INTER_AREA);
  const cv::Mat same = renderFace(faces[1].identity, FacePose{}, AuIntensity{}, 17);
  const cv::Mat other = renderFace(faces[0].identity, FacePose{}, AuIntensity{}, 17);
  EXPECT_LT(meanAbsDiff(crop, same, 30, 100, 30, 82), meanAbsDiff(crop, other, 30, 100, 30, 82));
}

}  // namespace
}  // namespace au::synth
