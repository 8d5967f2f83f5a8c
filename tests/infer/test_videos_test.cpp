#include "infer/test_videos.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "../io/test_dirs.h"
#include "common/error.h"
#include "infer/frame_source.h"
#include "io/face_image.h"

namespace au::infer {
namespace {

CountSources frames(std::map<std::string, int> counts) {
  CountSources s;
  for (const auto& [name, n] : counts) s.source_videos.push_back(name);
  s.source_counts = std::move(counts);
  s.source_name = "the frame folder";
  s.list_path = "list.txt";
  s.template_path = "template.csv";
  return s;
}

std::vector<std::string> names(const TestVideoPlan& plan) {
  std::vector<std::string> out;
  for (const auto& v : plan.videos) out.push_back(v.name);
  return out;
}

TEST(TestVideos, OrderFromTemplateElseListElseSource) {
  auto s = frames({{"a", 10}, {"b", 20}, {"c", 30}});
  EXPECT_EQ(names(planTestVideos(s)), (std::vector<std::string>{"a", "b", "c"}));
  s.list = {"c", "a"};
  const auto from_list = planTestVideos(s);
  EXPECT_EQ(names(from_list), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(from_list.videos[0].frames, 30);
  EXPECT_FALSE(from_list.template_order);
  TestTemplate t{{"a", "c"}, {{"a", 12}, {"c", 30}}};
  s.test_template = &t;
  const auto from_template = planTestVideos(s);
  EXPECT_EQ(names(from_template), (std::vector<std::string>{"a", "c"}));
  EXPECT_TRUE(from_template.template_order);
  // The template's count wins, and the disagreement is reported.
  EXPECT_EQ(from_template.videos[0].frames, 12);
  EXPECT_EQ(from_template.mismatches,
            std::vector<std::string>{"a: template 12 frames, the frame folder 10"});
}

TEST(TestVideos, DisagreeingFilesAreErrorsThatNameThem) {
  auto s = frames({{"a", 10}, {"b", 20}});
  s.list = {"a", "b"};
  TestTemplate t{{"a", "z"}, {{"a", 10}, {"z", 5}}};
  s.test_template = &t;
  try {
    planTestVideos(s);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "template.csv: the template and the test list list.txt disagree: not in "
                  "the template: b; not in the test list: z"),
              std::string::npos)
        << e.what();
  }
  s.test_template = nullptr;
  s.list = {"a", "q"};
  try {
    planTestVideos(s);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("list.txt: 1 videos are not in the frame folder: q"),
              std::string::npos)
        << e.what();
  }
}

TEST(TestVideos, WithoutASourceCountsComeFromTheTemplateOrAreUnknown) {
  CountSources s;
  s.list = {"b", "a"};
  auto plan = planTestVideos(s);
  EXPECT_EQ(names(plan), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(plan.videos[0].frames, -1);
  TestTemplate t{{"a", "b"}, {{"a", 3}, {"b", 4}}};
  s.test_template = &t;
  plan = planTestVideos(s);
  EXPECT_EQ(plan.videos[1].frames, 4);
  EXPECT_TRUE(plan.mismatches.empty());
}

// cropped_aligned folders: faces listed by number, an unreadable JPEG read as no face.
TEST(FrameSource, FolderSourceListsAndReadsFaces) {
  const auto root = testing::freshDir("frame_source");
  cv::Mat face(112, 112, CV_8UC3, cv::Scalar(10, 120, 230));
  std::filesystem::create_directories(root / "v");
  ASSERT_TRUE(cv::imwrite((root / "v" / "00001.jpg").string(), face));
  ASSERT_TRUE(cv::imwrite((root / "v" / "00003.jpg").string(), face));
  testing::writeText(root / "v" / "00004.jpg", "not a jpeg");
  testing::writeText(root / "v" / "notes.txt", "ignored");
  const auto source = openFrameSource(root.string(), "test");
  EXPECT_EQ(source->videos(), std::vector<std::string>{"v"});
  EXPECT_TRUE(source->has("v"));
  EXPECT_FALSE(source->has("w"));
  const SourceVideo v = source->video("v");
  EXPECT_EQ(v.faces, (std::vector<int>{1, 3, 4}));
  EXPECT_EQ(v.frames, 4);
  std::vector<uint8_t> pixels(3 * 112 * 112 * 3), expected(112 * 112 * 3);
  const auto readable = source->read("v", {1, 3, 4}, pixels.data()).get();
  EXPECT_EQ(readable, (std::vector<bool>{true, true, false}));
  ASSERT_EQ(io::readFaceImage((root / "v" / "00003.jpg").string(), expected.data()).status,
            io::FaceImageStatus::kOk);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), pixels.begin() + 112 * 112 * 3));
  EXPECT_THROW(openFrameSource((root / "missing").string(), "test"), DataError);
}

}  // namespace
}  // namespace au::infer
