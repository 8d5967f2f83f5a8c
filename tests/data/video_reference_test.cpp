#include "data/video_reference.h"

#include <gtest/gtest.h>

#include <set>

namespace au::data {
namespace {

TEST(ReferencePicks, AllFramesUpToTheLimit) {
  EXPECT_TRUE(referencePicks(0, 4).empty());
  EXPECT_EQ(referencePicks(3, 4), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(referencePicks(4, 4), (std::vector<int64_t>{0, 1, 2, 3}));
}

TEST(ReferencePicks, EvenlySpacedWithBothEnds) {
  EXPECT_EQ(referencePicks(10, 4), (std::vector<int64_t>{0, 3, 6, 9}));
  const auto picks = referencePicks(100000, kReferenceFrames);
  ASSERT_EQ(picks.size(), static_cast<size_t>(kReferenceFrames));
  EXPECT_EQ(picks.front(), 0);
  EXPECT_EQ(picks.back(), 99999);
  EXPECT_EQ(std::set<int64_t>(picks.begin(), picks.end()).size(),
            picks.size());  // strictly increasing
  for (size_t i = 1; i < picks.size(); ++i)
    EXPECT_NEAR(picks[i] - picks[i - 1], 99999.0 / 255, 1.0);
}

TEST(ReferenceSlots, EachPickItsPlaceInPickOrderAndTheRestMinusOne) {
  EXPECT_EQ(referenceSlots(3, 4), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(referenceSlots(10, 4), (std::vector<int64_t>{0, -1, -1, 1, -1, -1, 2, -1, -1, 3}));
  EXPECT_TRUE(referenceSlots(0, 4).empty());
  const auto picks = referencePicks(1000);
  const auto slots = referenceSlots(1000);
  ASSERT_EQ(slots.size(), 1000u);
  int64_t seen = 0;
  for (int64_t i = 0; i < 1000; ++i) {
    if (slots[static_cast<size_t>(i)] < 0) continue;
    EXPECT_EQ(picks[static_cast<size_t>(slots[static_cast<size_t>(i)])], i);
    EXPECT_EQ(slots[static_cast<size_t>(i)], seen++) << "slots follow frame order";
  }
  EXPECT_EQ(seen, kReferenceFrames);
}

TEST(MedianImage, PerPixelLowerMedian) {
  // 4 images of 3 bytes: pixel 0 has 1 3 2 200 (lower median 2), pixel 1 constant, pixel 2 an
  // outlier.
  const std::vector<uint8_t> images = {1, 7, 0, 3, 7, 0, 2, 7, 255, 200, 7, 0};
  EXPECT_EQ(medianImage(images.data(), 4, 3), (std::vector<uint8_t>{2, 7, 0}));
  EXPECT_EQ(medianImage(images.data(), 3, 3),
            (std::vector<uint8_t>{2, 7, 0}));  // odd count: the middle
  EXPECT_EQ(medianImage(images.data(), 1, 3), (std::vector<uint8_t>{1, 7, 0}));
  EXPECT_EQ(medianImage(images.data(), 0, 3), (std::vector<uint8_t>{0, 0, 0}));  // no frames: zeros
}

TEST(MedianImage, ExpressionFramesDoNotMoveTheNeutralFace) {
  // 7 frames: 4 "neutral" (value 100) and 3 with an expression (value 180) at one pixel.
  std::vector<uint8_t> images;
  for (int i = 0; i < 7; ++i) images.push_back(i % 2 ? 180 : 100);
  EXPECT_EQ(medianImage(images.data(), 7, 1)[0], 100);
}

}  // namespace
}  // namespace au::data
