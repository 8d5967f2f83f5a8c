#include "data/augment.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace au::data {
namespace {

torch::Tensor randomImages(int64_t n) {
  torch::manual_seed(3);
  return torch::randint(0, 256, {n, 112, 112, 3}, torch::kUInt8);
}

TEST(Augment, NormalisesToMinusOneOne) {
  const auto images = randomImages(2);
  const auto x = normaliseImages(images);
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{2, 3, 112, 112}));
  EXPECT_FLOAT_EQ(x[0][1][5][7].item<float>(), images[0][5][7][1].item<uint8_t>() / 127.5f - 1.0f);
  // No draw applied: the same as plain normalisation, bit for bit.
  EXPECT_TRUE(torch::equal(augmentImages(images, std::vector<SampleAugment>(2)), x));
}

TEST(Augment, HsvRoundTrip) {
  const auto rgb = normaliseImages(randomImages(2)).add(1).div(2);
  EXPECT_TRUE(torch::allclose(hsvToRgb(rgbToHsv(rgb)), rgb, 1e-5, 1e-5));
}

TEST(Augment, EachOperationChangesOnlyItsSample) {
  const auto images = randomImages(3);
  const auto plain = normaliseImages(images);
  std::vector<SampleAugment> draws(3);
  draws[1].flip = true;
  draws[2].brightness = 0.5f;
  const auto x = augmentImages(images, draws);
  EXPECT_TRUE(torch::equal(x[0], plain[0]));
  EXPECT_TRUE(torch::equal(x[1], plain[1].flip({2})));
  // Halving the brightness: (v/2 in [0,1]) -> 2*(v/2) - 1 = (plain + 1) / 2 - 1.
  EXPECT_TRUE(torch::allclose(x[2], (plain[2] + 1) / 2 - 1, 1e-6, 1e-6));
}

TEST(Augment, SaturationZeroGivesGreyAndHueKeepsGrey) {
  auto images = randomImages(1);
  std::vector<SampleAugment> draws(1);
  draws[0].saturation = 0.0f;
  const auto grey = augmentImages(images, draws);
  EXPECT_TRUE(torch::allclose(grey[0][0], grey[0][1], 1e-6, 1e-6));
  draws[0].hue = 0.25f;  // a grey image has no hue to turn
  EXPECT_TRUE(torch::allclose(augmentImages(images, draws), grey, 1e-5, 1e-5));
}

TEST(Augment, DrawsDependOnlyOnSeedEpochAndPosition) {
  AugmentOptions o;
  int brightness = 0, hue = 0, flips = 0;
  const int n = 20000;
  for (int p = 0; p < n; ++p) {
    const auto d = drawAugment(o, 5, 1, p);
    const auto again = drawAugment(o, 5, 1, p);
    ASSERT_EQ(d.brightness, again.brightness);
    ASSERT_EQ(d.flip, again.flip);
    brightness += d.brightness != 1.0f;
    hue += d.hue != 0.0f;
    flips += d.flip;
    ASSERT_LE(std::abs(d.brightness - 1.0f), 0.3f + 1e-6f);
    ASSERT_LE(std::abs(d.hue), 0.05f + 1e-6f);
  }
  EXPECT_NEAR(brightness / double(n), 0.3, 0.015);
  EXPECT_NEAR(hue / double(n), 0.3, 0.015);
  EXPECT_NEAR(flips / double(n), 0.5, 0.015);
  EXPECT_NE(drawAugment(o, 5, 2, 0).brightness + drawAugment(o, 5, 2, 1).brightness +
                drawAugment(o, 5, 2, 2).brightness,
            drawAugment(o, 5, 1, 0).brightness + drawAugment(o, 5, 1, 1).brightness +
                drawAugment(o, 5, 1, 2).brightness);
  o.enabled = false;
  const auto none = drawAugment(o, 5, 1, 0);
  EXPECT_FALSE(none.flip);
  EXPECT_EQ(none.brightness, 1.0f);
}

}  // namespace
}  // namespace au::data
