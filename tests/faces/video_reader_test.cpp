#include "faces/video_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "face_test_data.h"

namespace au::faces {
namespace {

int countFrames(VideoReader& reader, double* last_timestamp = nullptr) {
  int n = 0;
  double previous = -1;
  while (reader.next()) {
    ++n;
    EXPECT_EQ(reader.frameNumber(), n);
    EXPECT_GT(reader.timestampSeconds(), previous) << "frame " << n;
    previous = reader.timestampSeconds();
    const ImageView f = reader.frame();
    EXPECT_FALSE(f.empty());
  }
  if (last_timestamp) *last_timestamp = previous;
  return n;
}

TEST(VideoReader, CountsTheFramesThatDecodeNotTheContainersClaim) {
  VideoReader no_face(testing::realData("no_face.mp4"));
  EXPECT_EQ(no_face.claimedFrames(), 98);
  EXPECT_EQ(countFrames(no_face), 95);
  VideoReader single(testing::realData("single_face.mp4"));
  double last = 0;
  EXPECT_EQ(countFrames(single, &last), 72);
  EXPECT_GT(single.fps(), 0);
  EXPECT_NEAR(last, 71 / single.fps(), 0.05);  // timestamps at the video's rate
}

TEST(VideoReader, TellsVideosAndImagesByTheirExtensionInAnyCase) {
  EXPECT_TRUE(VideoReader::isVideo("a/clip.MP4"));
  EXPECT_TRUE(VideoReader::isVideo("clip.mkv"));
  EXPECT_FALSE(VideoReader::isVideo("photo.jpg"));
  EXPECT_TRUE(VideoReader::isImage("photo.JPeG"));
  EXPECT_FALSE(VideoReader::isImage("notes.txt"));
  EXPECT_FALSE(VideoReader::isVideo("notes.txt"));
  EXPECT_FALSE(VideoReader::isVideo("README"));
}

TEST(VideoReader, AnImageIsAOneFrameVideo) {
  VideoReader image(testing::realData("multi_face.jpg"));
  ASSERT_TRUE(image.next());
  EXPECT_EQ(image.frame().width, 1000);
  EXPECT_EQ(image.frame().height, 667);
  EXPECT_EQ(image.timestampSeconds(), 0.0);
  EXPECT_FALSE(image.next());
}

TEST(VideoReader, AFileThatIsNoVideoIsADataErrorNamingIt) {
  const auto dir = std::filesystem::temp_directory_path() / "au_video_reader_test";
  std::filesystem::create_directories(dir);
  const std::string junk = (dir / "junk.mp4").string();
  std::ofstream(junk) << "this is not a video";
  try {
    VideoReader reader(junk);
    EXPECT_FALSE(reader.next()) << "junk decoded as a frame";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("junk.mp4"), std::string::npos);
  }
  EXPECT_THROW(VideoReader((dir / "missing.mp4").string()), DataError);
  const std::string bad_image = (dir / "bad.png").string();
  std::ofstream(bad_image) << "not a picture";
  EXPECT_THROW(VideoReader{bad_image}, DataError);
}

}  // namespace
}  // namespace au::faces
