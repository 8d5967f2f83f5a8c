#include "infer/submission.h"

#include <gtest/gtest.h>

#include "../io/test_dirs.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "infer/evaluation.h"

namespace au::infer {
namespace {

FramePrediction pred(std::initializer_list<int> ones) {
  FramePrediction p{};
  for (int a : ones) p[static_cast<size_t>(a)] = 1;
  return p;
}

std::vector<VideoSubmission> smallCase() {
  return {{"video1", {pred({0}), pred({}), pred({0, 11})}}, {"video2_left", {pred({5})}}};
}

TEST(Submission, Abaw3FolderBytes) {
  const auto dir = testing::freshDir("abaw3") / "sub";
  writeAbaw3(dir.string(), smallCase());
  EXPECT_EQ(readFile((dir / "video1.txt").string()),
            "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\n"
            "1,0,0,0,0,0,0,0,0,0,0,0\n"
            "0,0,0,0,0,0,0,0,0,0,0,0\n"
            "1,0,0,0,0,0,0,0,0,0,0,1\n");
  EXPECT_EQ(readFile((dir / "video2_left.txt").string()),
            "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\n0,0,0,0,0,1,0,0,0,0,0,0\n");
  const auto back = readSubmission(dir.string());
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].video, "video1");
  EXPECT_EQ(back[0].frames, smallCase()[0].frames);
  writeAbaw3(dir.string(), {smallCase()[1]});  // replaced whole: video1 is gone
  EXPECT_EQ(readSubmission(dir.string()).size(), 1u);
}

TEST(Submission, Abaw5FileBytes) {
  const auto path = (testing::freshDir("abaw5") / "sub.csv").string();
  writeAbaw5(path, smallCase());
  EXPECT_EQ(readFile(path),
            "image_location,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\n"
            "video1/00001.jpg,1,0,0,0,0,0,0,0,0,0,0,0\n"
            "video1/00002.jpg,0,0,0,0,0,0,0,0,0,0,0,0\n"
            "video1/00003.jpg,1,0,0,0,0,0,0,0,0,0,0,1\n"
            "video2_left/00001.jpg,0,0,0,0,0,1,0,0,0,0,0,0\n");
  const auto back = readSubmission(path);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].video, "video2_left");
  EXPECT_EQ(back[1].frames, smallCase()[1].frames);
}

// Each kind of broken submission, and the line the checker names.
TEST(Submission, CheckerRejectsEachKindOfBrokenSubmission) {
  const auto dir = testing::freshDir("check");
  const std::vector<std::string> list{"video1", "video2_left"};
  const std::map<std::string, int> counts{{"video1", 3}, {"video2_left", 1}};
  const std::string header =
      "image_location,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\n";
  const std::string ok_row = ",0,0,0,0,0,0,0,0,0,0,0,0\n";
  auto check = [&](const std::string& text) {
    const auto path = dir / "s.csv";
    testing::writeText(path, text);
    const auto problems = checkSubmission(path.string(), list, counts);
    return problems.empty() ? std::string("valid") : problems.front();
  };
  const std::string good = header + "video1/00001.jpg" + ok_row + "video1/00002.jpg" + ok_row +
                           "video1/00003.jpg" + ok_row + "video2_left/00001.jpg" + ok_row;
  EXPECT_EQ(check(good), "valid");
  EXPECT_NE(check("AU1\n" + good.substr(header.size())).find(":1: expected the header"),
            std::string::npos);
  EXPECT_NE(check(header + "video1/00001.jpg,0,0,2,0,0,0,0,0,0,0,0,0\n")
                .find(":2: expected 0 or 1 for AU4, found '2'"),
            std::string::npos);
  EXPECT_NE(check(header + "video1/00001.jpg,0,0\n").find(":2: expected 12 values, found 2"),
            std::string::npos);
  EXPECT_NE(check(header + "video1/00002.jpg" + ok_row)
                .find("frame 2 of video1 where frame 1 was expected"),
            std::string::npos);
  EXPECT_NE(check(header + "video1/00001.jpg" + ok_row + "video2_left/00001.jpg" + ok_row +
                  "video1/00002.jpg" + ok_row)
                .find("video video1 appears in two places"),
            std::string::npos);
  EXPECT_EQ(check(header + "video1/00001.jpg" + ok_row + "video2_left/00001.jpg" + ok_row),
            "video1: 1 frames, expected 3");
  EXPECT_EQ(check(header + "video1/00001.jpg" + ok_row + "video1/00002.jpg" + ok_row +
                  "video1/00003.jpg" + ok_row),
            "video2_left: missing");
  EXPECT_EQ(check(good + "video9/00001.jpg" + ok_row), "video9: not in the test list");
}

// In an ABAW5 file the videos must follow the template when one is given; an ABAW3 folder has
// no order.
TEST(Submission, CheckerComparesTheOrderOnlyWhenAsked) {
  const auto dir = testing::freshDir("check_order");
  writeAbaw5((dir / "s.csv").string(), smallCase());
  writeAbaw3((dir / "abaw3").string(), smallCase());
  const std::vector<std::string> reversed{"video2_left", "video1"};
  EXPECT_TRUE(checkSubmission((dir / "s.csv").string(), reversed).empty());
  EXPECT_EQ(
      checkSubmission((dir / "s.csv").string(), reversed, {}, true),
      std::vector<std::string>{"video 1 is video1, expected video2_left (the template's order)"});
  EXPECT_TRUE(checkSubmission((dir / "abaw3").string(), reversed, {}, true).empty());
}

TEST(Submission, ReadsTheOrganisersTemplate) {
  const auto dir = testing::freshDir("template");
  const auto path = (dir / "template.csv").string();
  testing::writeText(path,
                     "image_location,AU1\r\nb/00001.jpg,\r\nb/00002.jpg,\r\na/00001.jpg,\r\n\r\n");
  const TestTemplate t = readTestTemplate(path);
  EXPECT_EQ(t.videos, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(t.frames, (std::map<std::string, int>{{"a", 1}, {"b", 2}}));
  testing::writeText(path, "image_location\nv/00001.jpg\n");  // one column only
  EXPECT_EQ(readTestTemplate(path).frames.at("v"), 1);
  auto error = [&](const std::string& text) {
    testing::writeText(path, text);
    try {
      readTestTemplate(path);
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("video,frame\n").find(":1: expected a header that starts with 'image_location'"),
            std::string::npos);
  EXPECT_NE(
      error("image_location\nv/00002.jpg\n").find(":2: frame 2 of v where frame 1 was expected"),
      std::string::npos);
  EXPECT_NE(error("image_location\nv/00001.jpg\nw/00001.jpg\nv/00002.jpg\n")
                .find(":4: video v appears in two places"),
            std::string::npos);
  EXPECT_NE(error("image_location\nv/1.png\n").find(":2: expected an image name like 00001.jpg"),
            std::string::npos);
}

TEST(Evaluation, EqualsHandComputedF1) {
  const auto dir = testing::freshDir("eval");
  // Truth for AU1 over 4 frames: 1, 1, 0, -1; prediction 1, 0, 1, 1 -> TP 1, FN 1, FP 1, skipped 1.
  std::string truth = std::string(io::kAuHeader) + "\n";
  for (const char* au1 : {"1", "1", "0", "-1"})
    truth += std::string(au1) + ",0,0,0,0,0,0,0,0,0,0,0\n";
  testing::writeText(dir / "gt" / "v.txt", truth);
  writeAbaw3((dir / "sub").string(), {{"v", {pred({0}), pred({}), pred({0}), pred({0})}}});
  const auto e = evaluateSubmission((dir / "sub").string(), (dir / "gt").string());
  EXPECT_DOUBLE_EQ(e.scores.f1[0], 2.0 / (2 + 1 + 1));  // 2TP / (2TP + FP + FN) = 0.5
  // AU2..AU26: all truth 0, all predicted 0 -> official F1 0; F1_our (sklearn macro) 1.
  EXPECT_DOUBLE_EQ(e.scores.f1[1], 0.0);
  EXPECT_DOUBLE_EQ(e.scores.f1_our[1], 1.0);
  EXPECT_DOUBLE_EQ(e.scores.mean_f1, 0.5 / 12);
  // AU1 F1_our: class 1 F1 0.5; class 0: TN 0, FP 1, FN 1 -> 0; mean 0.25.
  EXPECT_DOUBLE_EQ(e.scores.f1_our[0], 0.25);
  EXPECT_EQ(e.scores.counts.skipped[0], 1);
  EXPECT_EQ(e.frames, 4);
  const auto json = evaluationJson(e);
  EXPECT_NE(json.find("\"mean_f1\": 0.041666"), std::string::npos) << json;
  // A submission whose length differs from the annotation rows is an error naming the file.
  writeAbaw3((dir / "short").string(), {{"v", {pred({0})}}});
  try {
    evaluateSubmission((dir / "short").string(), (dir / "gt").string());
    FAIL() << "expected a DataError";
  } catch (const DataError& err) {
    EXPECT_NE(std::string(err.what()).find("v.txt: 4 annotated frames, but the submission has 1"),
              std::string::npos)
        << err.what();
  }
  EXPECT_THROW(evaluateSubmission((dir / "sub").string(), (dir / "gt").string(), {"other"}),
               DataError);
}

}  // namespace
}  // namespace au::infer
