#include "faces/face_tracker.h"

#include <gtest/gtest.h>

namespace au::faces {
namespace {

DetectedFace at(float x, float y, float size = 100) {
  DetectedFace f;
  f.box = {x, y, size, size};
  f.score = 0.99f;
  return f;
}

TEST(FaceTracker, OverlapIsIntersectionOverUnion) {
  EXPECT_FLOAT_EQ(overlap({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0f);
  EXPECT_FLOAT_EQ(overlap({0, 0, 10, 10}, {5, 0, 10, 10}), 50.0f / 150.0f);
  EXPECT_FLOAT_EQ(overlap({0, 0, 10, 10}, {20, 20, 10, 10}), 0.0f);
}

TEST(FaceTracker, EachPersonKeepsOneIdAsTheyMove) {
  FaceTracker tracker;
  EXPECT_EQ(tracker.update({at(0, 0), at(300, 0)}), (std::vector<int>{0, 1}));
  // Both move a little, listed the other way round: the ids follow the boxes.
  EXPECT_EQ(tracker.update({at(310, 5), at(8, 4)}), (std::vector<int>{1, 0}));
  // A third person arrives.
  EXPECT_EQ(tracker.update({at(12, 6), at(315, 8), at(600, 0)}), (std::vector<int>{0, 1, 2}));
}

TEST(FaceTracker, AFaceLostForAFewFramesKeepsItsIdThenIsForgotten) {
  FaceTracker tracker({0.3f, 5});
  tracker.update({at(0, 0)});
  for (int i = 0; i < 5; ++i) tracker.update({});
  EXPECT_EQ(tracker.update({at(4, 4)}), (std::vector<int>{0}));  // back after 5 frames
  for (int i = 0; i < 6; ++i) tracker.update({});
  EXPECT_TRUE(tracker.tracks().empty());
  EXPECT_EQ(tracker.update({at(4, 4)}), (std::vector<int>{1}));  // after 6: a new person
}

TEST(FaceTracker, TheBestOverlapWinsAndTwoFacesNeverShareATrack) {
  FaceTracker tracker;
  tracker.update({at(0, 0)});
  // Both overlap track 0; the closer one keeps id 0, the other starts id 1.
  EXPECT_EQ(tracker.update({at(40, 0), at(5, 0)}), (std::vector<int>{1, 0}));
}

TEST(FaceTracker, AFaceFarFromEveryTrackStartsANewOne) {
  FaceTracker tracker;
  tracker.update({at(0, 0)});
  EXPECT_EQ(tracker.update({at(90, 90)}), (std::vector<int>{1}));  // overlap 0.003 < 0.3
}

}  // namespace
}  // namespace au::faces
