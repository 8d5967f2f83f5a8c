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

// Spaces and non-ASCII are fine in a video name; a comma cannot be written in the CSV files
// (validation predictions, ABAW5 submissions), so it is refused where the name is read.
TEST(VideoList, NamesWithSpacesAndNonAsciiAreKeptButACommaIsRefused) {
  const auto dir = testing::freshDir("video_list_names");
  testing::writeText(dir / "list.txt", "vid\xC3\xA9o 4 (test)\n\xC3\x9Cn\xC3\xAF 10\n");
  EXPECT_EQ(readVideoList((dir / "list.txt").string()),
            (std::vector<std::string>{"vid\xC3\xA9o 4 (test)", "\xC3\x9Cn\xC3\xAF 10"}));
  testing::writeText(dir / "comma.txt", "ok\nvideo,1\n");
  try {
    readVideoList((dir / "comma.txt").string());
    FAIL() << "a comma was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("comma.txt:2: 'video,1' cannot be a video name: it "
                                         "contains a comma"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(checkVideoName("a/b", "x"), DataError);
  EXPECT_THROW(checkVideoName("tab\there", "x"), DataError);
  EXPECT_NO_THROW(checkVideoName("vid\xC3\xA9o 4", "x"));
}

TEST(VideoList, WriteThenRead) {
  const auto dir = testing::freshDir("video_list_rw");
  writeVideoList((dir / "l.txt").string(), {"x", "y_left"});
  EXPECT_EQ(readVideoList((dir / "l.txt").string()), (std::vector<std::string>{"x", "y_left"}));
}

}  // namespace
}  // namespace au::io
