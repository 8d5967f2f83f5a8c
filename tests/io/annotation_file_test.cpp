#include "io/annotation_file.h"

#include <gtest/gtest.h>

#include "../io/test_dirs.h"
#include "common/error.h"

namespace au::io {
namespace {

const std::string kHeader = "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\n";

// Expects a DataError whose message holds `where` ("file:line") and `what`.
void expectDataError(const std::string& text, const std::string& where, const std::string& what) {
  try {
    parseAnnotations(text, "ann/video9.txt");
    FAIL() << "accepted: " << text;
  } catch (const DataError& e) {
    EXPECT_EQ(e.exitCode(), 65);
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(AnnotationFile, ParsesRowsInOrder) {
  const auto rows = parseAnnotations(
      kHeader + "0,1,0,0,0,0,0,0,0,0,1,1\n-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1\n", "x");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], 1);
  EXPECT_EQ(rows[0][0], 0);
  EXPECT_EQ(rows[0][11], 1);
  EXPECT_EQ(rows[1][5], -1);
}

TEST(AnnotationFile, ToleratesCrlfAndTrailingEmptyLine) {
  const std::string crlf =
      "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\r\n1,0,0,0,0,0,0,0,0,0,0,0\r\n\r\n";
  const auto rows = parseAnnotations(crlf, "x");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], 1);
  EXPECT_EQ(parseAnnotations(kHeader, "x").size(), 0u);
}

TEST(AnnotationFile, RejectsWrongHeader) {
  expectDataError("AU1,AU2\n0,0\n", "ann/video9.txt:1", "wrong header");
  expectDataError("", "ann/video9.txt:1", "header");
}

TEST(AnnotationFile, RejectsRowWithWrongCount) {
  expectDataError(kHeader + "0,0,0,0,0,0,0,0,0,0,0,0\n0,0,0,0,0,0,0,0,0,0,0\n", "ann/video9.txt:3",
                  "found 11");
  expectDataError(kHeader + "0,0,0,0,0,0,0,0,0,0,0,0,0\n", "ann/video9.txt:2", "found 13");
  expectDataError(kHeader + "0,0,0,0,0,0,0,0,0,0,0,0\n\n0,0,0,0,0,0,0,0,0,0,0,0\n",
                  "ann/video9.txt:3", "empty line");
}

TEST(AnnotationFile, RejectsValueOutsideMinusOneZeroOne) {
  expectDataError(kHeader + "0,0,2,0,0,0,0,0,0,0,0,0\n", "ann/video9.txt:2", "'2' of AU4");
  expectDataError(kHeader + "0,0,0,0,0,0,0,0,0,0,0,0.5\n", "ann/video9.txt:2", "AU26");
  expectDataError(kHeader + "0,0,0,0,0,0,0,0,0,0,,0\n", "ann/video9.txt:2", "AU25");
}

TEST(AnnotationFile, WriteThenReadRoundTrips) {
  const auto dir = testing::freshDir("annotation_roundtrip");
  std::vector<AuLabels> rows(3);
  rows[0].fill(0);
  rows[1].fill(1);
  rows[2].fill(-1);
  rows[0][4] = 1;
  const std::string path = (dir / "video1_left.txt").string();
  writeAnnotationFile(path, rows);
  EXPECT_EQ(readAnnotationFile(path), rows);
  EXPECT_EQ(videoNameOf(path), "video1_left");
}

TEST(AnnotationFile, UnreadableFileIsADataError) {
  EXPECT_THROW(readAnnotationFile("/nonexistent/video1.txt"), DataError);
}

}  // namespace
}  // namespace au::io
