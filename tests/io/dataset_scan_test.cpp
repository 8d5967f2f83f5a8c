#include "io/dataset_scan.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "../io/test_dirs.h"
#include "common/error.h"
#include "io/annotation_file.h"

namespace au::io {
namespace {
namespace fs = std::filesystem;

void writeFrames(const fs::path& root, const std::string& video, const std::vector<int>& numbers) {
  fs::create_directories(root / "cropped_aligned" / video);
  const cv::Mat face(112, 112, CV_8UC3, cv::Scalar(90, 120, 200));
  for (int n : numbers) {
    char name[16];
    std::snprintf(name, sizeof name, "%05d.jpg", n);
    cv::imwrite((root / "cropped_aligned" / video / name).string(), face);
  }
}

void writeAnnotations(const fs::path& root, const std::string& set, const std::string& video,
                      int rows) {
  std::vector<AuLabels> labels(static_cast<size_t>(rows));
  for (auto& l : labels) l.fill(0);
  fs::create_directories(root / "annotations/AU_Detection_Challenge" / set);
  writeAnnotationFile(
      (root / "annotations/AU_Detection_Challenge" / set / (video + ".txt")).string(), labels);
}

DatasetPaths pathsFor(const fs::path& root) {
  DatasetPaths p;
  p.root = root.string();
  return p;
}

TEST(DatasetScan, CountsFramesAndImagesPerVideo) {
  const auto root = testing::freshDir("scan_counts");
  writeAnnotations(root, "Train_Set", "video2_left", 6);
  writeFrames(root, "video2_left", {3, 4, 6, 9});  // starts above 1; 9 is beyond the rows
  writeAnnotations(root, "Train_Set", "b-30-640x360", 2);
  writeFrames(root, "b-30-640x360", {1, 2});
  const auto videos = scanSplit(pathsFor(root), "train");
  ASSERT_EQ(videos.size(), 2u);
  EXPECT_EQ(videos[0].name, "b-30-640x360");  // sorted by name
  EXPECT_EQ(videos[1].name, "video2_left");
  EXPECT_EQ(videos[1].frames, 6);
  EXPECT_EQ(videos[1].images, 3);
  EXPECT_EQ(videos[1].split, "train");
  EXPECT_NE(videos[1].annotation_crc, 0u);
}

TEST(DatasetScan, AnnotationWithoutFrameFolderIsADataError) {
  const auto root = testing::freshDir("scan_no_folder");
  writeAnnotations(root, "Validation_Set", "lonely", 3);
  fs::create_directories(root / "cropped_aligned");
  try {
    scanSplit(pathsFor(root), "validation");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("lonely.txt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no frame folder"), std::string::npos) << e.what();
  }
}

TEST(DatasetScan, BadAnnotationStopsTheScanWithFileAndLine) {
  const auto root = testing::freshDir("scan_bad_row");
  writeFrames(root, "v", {1});
  testing::writeText(
      root / "annotations/AU_Detection_Challenge/Train_Set/v.txt",
      "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\n0,0,0,0,0,0,0,0,0,0,0,3\n");
  try {
    scanSplit(pathsFor(root), "train");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("v.txt:2"), std::string::npos) << e.what();
  }
}

TEST(DatasetScan, TestSplitComesFromTheListAndFrameFolders) {
  const auto root = testing::freshDir("scan_test");
  writeFrames(root, "t1", {1, 2, 4});
  writeFrames(root, "t0_right", {2});
  testing::writeText(
      root /
          "names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt",
      "t1\nt0_right\n");
  const auto videos = scanSplit(pathsFor(root), "test");
  ASSERT_EQ(videos.size(), 2u);
  EXPECT_EQ(videos[0].name, "t0_right");
  EXPECT_EQ(videos[0].frames, 2);
  EXPECT_EQ(videos[0].images, 1);
  EXPECT_EQ(videos[1].frames, 4);
  EXPECT_EQ(videos[1].images, 3);
  EXPECT_TRUE(videos[1].annotation_file.empty());

  testing::writeText(
      root /
          "names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt",
      "t1\n\nmissing_video\n");
  try {
    scanSplit(pathsFor(root), "test");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("release.txt:3"), std::string::npos) << e.what();
  }
}

TEST(DatasetScan, SplitsIncludeTestOnlyWithAList) {
  DatasetPaths p;
  EXPECT_EQ(splitsOf(p).size(), 3u);
  p.test_list.clear();
  EXPECT_EQ(splitsOf(p), (std::vector<std::string>{"train", "validation"}));
  p.root = "/data/affwild2";
  EXPECT_EQ(p.framesRoot(), "/data/affwild2/cropped_aligned");
  p.frames = "/elsewhere/crops";
  EXPECT_EQ(p.framesRoot(), "/elsewhere/crops");
}

}  // namespace
}  // namespace au::io
