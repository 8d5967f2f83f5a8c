#include "faces/retinaface_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <vector>

#include "common/error.h"
#include "face_test_data.h"
#include "faces/face_alignment.h"
#include "faces/video_reader.h"

namespace au::faces {
namespace {

class RetinaFace : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(testing::detectorModel()))
      GTEST_SKIP() << testing::detectorModel() << " missing: run jobs/setup.sh";
    detector_ = std::make_unique<RetinaFaceDetector>(RetinaFaceOptions{testing::detectorModel()});
  }
  std::vector<DetectedFace> detectIn(const std::string& name, float min_score = 0.9f) {
    reader_ = std::make_unique<VideoReader>(testing::realData(name));
    EXPECT_TRUE(reader_->next());
    return detector_->detect(reader_->frame(), min_score);
  }
  std::unique_ptr<RetinaFaceDetector> detector_;
  std::unique_ptr<VideoReader> reader_;
};

TEST_F(RetinaFace, FindsTheFiveFacesOfMultiFace) {
  const auto faces = detectIn("multi_face.jpg");
  ASSERT_EQ(faces.size(), 5u);
  for (size_t i = 0; i < faces.size(); ++i) {
    const DetectedFace& f = faces[i];
    EXPECT_GE(f.score, 0.9f);
    if (i > 0) {
      EXPECT_LE(f.score, faces[i - 1].score);  // best first
    }
    EXPECT_GT(f.box.width, 20);
    // Landmarks inside the box and in a face's order: eyes above the nose above the mouth.
    for (const Point& p : f.landmarks) {
      EXPECT_GE(p.x, f.box.x - 2);
      EXPECT_LE(p.x, f.box.right() + 2);
    }
    EXPECT_LT(f.landmarks[0].x, f.landmarks[1].x);
    EXPECT_LT(f.landmarks[0].y, f.landmarks[2].y);
    EXPECT_LT(f.landmarks[2].y, f.landmarks[3].y);
    EXPECT_LT(f.landmarks[3].x, f.landmarks[4].x);
  }
}

TEST_F(RetinaFace, FindsOneFaceInSingleFaceAndNoneInABlankImage) {
  EXPECT_EQ(detectIn("single_face.jpg").size(), 1u);
  std::vector<uint8_t> grey(640 * 360 * 3, 128);
  EXPECT_TRUE(detector_->detect({grey.data(), 640, 360, 640 * 3}, 0.5f).empty());
}

// A region twice the face's size, scaled down to the region size (160), finds the face the whole
// image found, its landmarks within 0.2 eye distances (measured: at most 0.14 on this large face,
// which the region search sees at a third of its size).
TEST_F(RetinaFace, ARegionAroundTheFaceFindsTheSameFace) {
  const auto whole = detectIn("single_face.jpg");
  ASSERT_EQ(whole.size(), 1u);
  const Box b = whole[0].box;
  const Box region{b.x - b.width / 2, b.y - b.height / 2, 2 * b.width, 2 * b.height};
  const auto found = detector_->detect(reader_->frame(), 0.5f, region);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_GT(overlap(found[0].box, b), 0.8f);
  const float eyes = std::hypot(whole[0].landmarks[1].x - whole[0].landmarks[0].x,
                                whole[0].landmarks[1].y - whole[0].landmarks[0].y);
  for (size_t k = 0; k < 5; ++k)
    EXPECT_LT(std::hypot(found[0].landmarks[k].x - whole[0].landmarks[k].x,
                         found[0].landmarks[k].y - whole[0].landmarks[k].y),
              0.2f * eyes);
}

// The alignment on real faces: the similarity puts the detected landmarks within a few pixels
// of the template (a similarity cannot match 5 points of a real face exactly: measured means
// 1.8-4.8 px over these 6 faces), and the warped pixels agree: the crop, searched again, has its
// landmarks where the transform sent them (measured means 1.1-4.1 px; the worst is a small face
// scaled up, where the detector is less sure).
TEST_F(RetinaFace, WarpedCropsPutTheLandmarksOnTheTemplate) {
  for (const char* name : {"single_face.jpg", "multi_face.jpg"}) {
    const auto faces = detectIn(name);
    ASSERT_FALSE(faces.empty());
    const Landmarks target = alignmentTemplate({});
    for (const DetectedFace& face : faces) {
      const Affine m = similarityTransform(face.landmarks, target);
      std::vector<uint8_t> rgb(112 * 112 * 3), bgr(rgb.size());
      warpFace(reader_->frame(), m, 112, rgb.data());
      for (size_t i = 0; i < rgb.size(); i += 3) {
        bgr[i] = rgb[i + 2], bgr[i + 1] = rgb[i + 1], bgr[i + 2] = rgb[i];
      }
      const auto again = detector_->detect({bgr.data(), 112, 112, 112 * 3}, 0.5f, {0, 0, 112, 112});
      ASSERT_FALSE(again.empty()) << name << ": no face in the aligned crop";
      double to_template = 0, to_transformed = 0;
      for (size_t k = 0; k < 5; ++k) {
        const Point p = transformPoint(m, face.landmarks[k]);
        to_template += std::hypot(p.x - target[k].x, p.y - target[k].y) / 5;
        to_transformed +=
            std::hypot(again[0].landmarks[k].x - p.x, again[0].landmarks[k].y - p.y) / 5;
      }
      EXPECT_LT(to_template, 6.0) << name
                                  << ": mean distance of the aligned landmarks from the template";
      EXPECT_LT(to_transformed, 5.0)
          << name << ": mean distance of the crop's landmarks from where the "
          << "transform put them";
    }
  }
}

TEST(RetinaFaceModel, AMissingOrForeignModelIsAUsageErrorNamingTheFile) {
  EXPECT_THROW(RetinaFaceDetector(RetinaFaceOptions{"/nonexistent/model.onnx"}), UsageError);
  try {
    RetinaFaceDetector(RetinaFaceOptions{testing::realData("OpenFace_Test.csv")});
    FAIL() << "a CSV file loaded as a model";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("OpenFace_Test.csv"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace au::faces
