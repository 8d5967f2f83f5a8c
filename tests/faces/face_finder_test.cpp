#include "faces/face_finder.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace au::faces {
namespace {

// A detector over a scripted world: the faces of the current frame (box, score); a search
// returns those at or above the minimum score whose centre lies in the searched region.
class ScriptedDetector : public FaceDetector {
 public:
  std::vector<DetectedFace> world;
  int whole = 0, regions = 0;
  std::vector<DetectedFace> detect(const ImageView&, float min_score, const Box& region) override {
    (region.area() > 0 ? regions : whole)++;
    std::vector<DetectedFace> out;
    for (const auto& f : world) {
      const float cx = f.box.x + f.box.width / 2, cy = f.box.y + f.box.height / 2;
      const bool inside = region.area() <= 0 || (cx >= region.x && cx <= region.right() &&
                                                 cy >= region.y && cy <= region.bottom());
      if (f.score >= min_score && inside) out.push_back(f);
    }
    return out;
  }
};

DetectedFace face(float x, float score) {
  DetectedFace f;
  f.box = {x, 50, 100, 100};
  f.score = score;
  return f;
}

FaceFinderOptions options(int detect_every, float new_face_score = 0.9f, float track_score = 0.5f) {
  FaceFinderOptions o;
  o.detect_every = detect_every;
  o.new_face_score = new_face_score;
  o.track_score = track_score;
  return o;
}

const ImageView kFrame{reinterpret_cast<const uint8_t*>("x"), 1, 1, 3};

TEST(FaceFinder, SearchesTheWholeFrameEveryKFramesAndRegionsInBetween) {
  ScriptedDetector detector;
  detector.world = {face(0, 0.99f)};
  FaceFinder finder(detector, options(5));
  for (int i = 0; i < 10; ++i) {
    const auto found = finder.next(kFrame);
    ASSERT_EQ(found.size(), 1u) << "frame " << i;
    EXPECT_EQ(found[0].face_id, 0);
  }
  EXPECT_EQ(detector.whole, 2);    // frames 0 and 5
  EXPECT_EQ(detector.regions, 9);  // every frame after the first, for the one track
}

TEST(FaceFinder, ANewFaceNeedsAConfidentScoreATrackedOneLess) {
  ScriptedDetector detector;
  FaceFinder finder(detector, options(1, 0.9f, 0.5f));
  detector.world = {face(0, 0.7f)};
  EXPECT_TRUE(finder.next(kFrame).empty());  // 0.7 starts nothing
  detector.world = {face(0, 0.95f)};
  EXPECT_EQ(finder.next(kFrame).size(), 1u);
  detector.world = {face(5, 0.6f)};  // the same person, less sure: still followed
  const auto followed = finder.next(kFrame);
  ASSERT_EQ(followed.size(), 1u);
  EXPECT_EQ(followed[0].face_id, 0);
  EXPECT_FLOAT_EQ(followed[0].face.score, 0.6f);
  detector.world = {face(5, 0.4f)};  // below the tracking score: lost
  EXPECT_TRUE(finder.next(kFrame).empty());
}

TEST(FaceFinder, AFaceFoundByRegionAndWholeFrameIsOneFace) {
  ScriptedDetector detector;
  detector.world = {face(0, 0.99f), face(400, 0.98f)};
  FaceFinder finder(detector, options(1));
  finder.next(kFrame);
  const auto found = finder.next(kFrame);  // each face found by its region and the whole frame
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].face_id, 0);
  EXPECT_EQ(found[1].face_id, 1);
}

TEST(FaceFinder, BadOptionsAreUsageErrors) {
  ScriptedDetector detector;
  EXPECT_THROW(FaceFinder(detector, options(0)), UsageError);
  EXPECT_THROW(FaceFinder(detector, options(10, 0.5f, 0.9f)), UsageError);
}

}  // namespace
}  // namespace au::faces
