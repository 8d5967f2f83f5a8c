#include "faces/face_alignment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "common/error.h"

namespace au::faces {
namespace {

AlignmentOptions sized(int size, float margin) {
  AlignmentOptions o;
  o.size = size;
  o.margin = margin;
  return o;
}

TEST(FaceAlignment, TemplateIsArcFacesFor112AndScalesWithSizeAndMargin) {
  const Landmarks t112 = alignmentTemplate({});
  EXPECT_NEAR(t112[0].x, 38.2946f, 1e-4);
  EXPECT_NEAR(t112[4].y, 92.2041f, 1e-4);
  const Landmarks t224 = alignmentTemplate(sized(224, 0));
  for (size_t k = 0; k < 5; ++k) {
    EXPECT_NEAR(t224[k].x, 2 * t112[k].x, 1e-4);
    EXPECT_NEAR(t224[k].y, 2 * t112[k].y, 1e-4);
  }
  // A margin pulls the points towards the centre: the face takes less of the crop.
  const Landmarks wide = alignmentTemplate(sized(112, 0.25f));
  for (size_t k = 0; k < 5; ++k) EXPECT_NEAR(wide[k].x - 56, (t112[k].x - 56) / 1.25f, 1e-4);
}

TEST(FaceAlignment, AnotherTemplateCanBeGivenAsTenNumbers) {
  AlignmentOptions options;
  options.size = 224;
  options.points = {30, 50, 80, 50, 55, 70, 35, 90, 75, 90};
  const Landmarks t = alignmentTemplate(options);
  EXPECT_FLOAT_EQ(t[0].x, 60);  // scaled from 112 to 224 like the default
  EXPECT_FLOAT_EQ(t[4].y, 180);
  options.points.pop_back();
  EXPECT_THROW(alignmentTemplate(options), UsageError);
}

TEST(FaceAlignment, SimilarityRecoversARotatedScaledShiftedFace) {
  const Landmarks target = alignmentTemplate({});
  // The template turned 20 degrees, scaled 2.5x and moved: the transform must undo exactly that.
  const double angle = 20 * M_PI / 180, scale = 2.5;
  Landmarks seen;
  for (size_t k = 0; k < 5; ++k) {
    const double x = target[k].x, y = target[k].y;
    seen[k] = {static_cast<float>(scale * (std::cos(angle) * x - std::sin(angle) * y) + 300),
               static_cast<float>(scale * (std::sin(angle) * x + std::cos(angle) * y) + 120)};
  }
  const Affine m = similarityTransform(seen, target);
  for (size_t k = 0; k < 5; ++k) {
    const Point p = transformPoint(m, seen[k]);
    EXPECT_NEAR(p.x, target[k].x, 1e-3);
    EXPECT_NEAR(p.y, target[k].y, 1e-3);
  }
  EXPECT_NEAR(std::hypot(m[0], m[3]), 1 / scale, 1e-6);  // a similarity: no shear
  EXPECT_NEAR(m[0], m[4], 1e-12);
  EXPECT_NEAR(m[1], -m[3], 1e-12);
}

TEST(FaceAlignment, SimilarityIsTheLeastSquaresFitOfNoisyPoints) {
  const Landmarks target = alignmentTemplate({});
  Landmarks noisy = target;
  noisy[2].x += 3;  // the nose off by 3 pixels: the others move a little, the nose most
  const Affine m = similarityTransform(noisy, target);
  double moved_nose = 0, moved_most_other = 0;
  for (size_t k = 0; k < 5; ++k) {
    const Point p = transformPoint(m, noisy[k]);
    const double d = std::hypot(p.x - target[k].x, p.y - target[k].y);
    if (k == 2)
      moved_nose = d;
    else
      moved_most_other = std::max(moved_most_other, d);
  }
  EXPECT_GT(moved_nose, moved_most_other);
  EXPECT_LT(moved_nose, 3.0);
}

TEST(FaceAlignment, WarpPutsAMarkedPixelWhereTheTransformSends) {
  // A grey image with one white square: after the warp it must sit where transformPoint() says.
  const int w = 320, h = 240;
  std::vector<uint8_t> bgr(static_cast<size_t>(w * h * 3), 60);
  for (int y = 100; y < 104; ++y)
    for (int x = 150; x < 154; ++x)
      for (int c = 0; c < 3; ++c) bgr[static_cast<size_t>((y * w + x) * 3 + c)] = 255;
  const ImageView image{bgr.data(), w, h, static_cast<size_t>(w * 3)};
  const Affine m{0.5, 0, -20, 0, 0.5, -10};  // half size, shifted
  const Point centre = transformPoint(m, {151.5f, 101.5f});
  std::vector<uint8_t> rgb(112 * 112 * 3);
  warpFace(image, m, 112, rgb.data());
  const auto at = [&](int x, int y) { return rgb[static_cast<size_t>((y * 112 + x) * 3)]; };
  EXPECT_GT(at(static_cast<int>(centre.x), static_cast<int>(centre.y)), 200);
  EXPECT_EQ(at(111, 111), 0);  // from (262, 262), outside the image: black
  EXPECT_EQ(at(50, 50), 60);   // from (140, 120): the grey
}

}  // namespace
}  // namespace au::faces
