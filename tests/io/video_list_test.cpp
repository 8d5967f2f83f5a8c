#include "io/video_list.h"

#include <gtest/gtest.h>

#include "../io/test_dirs.h"
#include "common/error.h"

namespace au::io {
namespace {

TEST(VideoList, ReadsNamesKeepingLeftRightSuffixes) {
  const auto dir = testing::freshDir("video_list");
  testing::writeText(dir / "list.txt",
                     "video2\r\nvideo2_left\n\n  10-60-1280x720_right \nvideo45_7\n");
  std::vector<long> lines;
  const auto names = readVideoList((dir / "list.txt").string(), &lines);
  EXPECT_EQ(names, (std::vector<std::string>{"video2", "video2_left", "10-60-1280x720_right",
                                             "video45_7"}));
  EXPECT_EQ(lines, (std::vector<long>{1, 2, 4, 5}));
}

TEST(VideoList, DuplicateNameIsADataErrorWithLine) {
  const auto dir = testing::freshDir("video_list_dup");
  testing::writeText(dir / "list.txt", "a\nb\na\n");
  try {
    readVideoList((dir / "list.txt").string());
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("list.txt:3"), std::string::npos) << e.what();
  }
}

TEST(VideoList, WriteThenRead) {
  const auto dir = testing::freshDir("video_list_rw");
  writeVideoList((dir / "l.txt").string(), {"x", "y_left"});
  EXPECT_EQ(readVideoList((dir / "l.txt").string()), (std::vector<std::string>{"x", "y_left"}));
}

}  // namespace
}  // namespace au::io
