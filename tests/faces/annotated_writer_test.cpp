#include "faces/annotated_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <vector>

#include "common/error.h"
#include "face_test_data.h"
#include "faces/video_reader.h"

namespace au::faces {
namespace {
namespace fs = std::filesystem;

class AnnotatedWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/au_annotated_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

// A grey 320x240 BGR frame.
struct Frame {
  std::vector<uint8_t> pixels = std::vector<uint8_t>(320 * 240 * 3, 128);
  ImageView view() const { return {pixels.data(), 320, 240, 320 * 3}; }
};

TEST_F(AnnotatedWriterTest, AVideoReadsBackWithEveryFrameAndTheBoxDrawn) {
  const std::string path = dir_ + "/clip.mp4";
  const Frame grey;
  {
    AnnotatedWriter writer(path, 25);
    for (int i = 0; i < 30; ++i)
      writer.write(grey.view(), {{Box{100, 80, 80, 100}, {"face 0", "AU6 AU12"}}});
    EXPECT_FALSE(fs::exists(path)) << "under its final name before finish()";
    writer.finish();
  }
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1)
      << "the temporary file is left";
  VideoReader reader(path);
  int frames = 0;
  while (reader.next()) {
    ++frames;
    const ImageView f = reader.frame();
    ASSERT_EQ(f.width, 320);
    ASSERT_EQ(f.height, 240);
    // The box's left edge, half-way down: green (B, G, R), through MPEG-4's loss.
    const uint8_t* edge = f.data + 130 * f.stride + 100 * 3;
    EXPECT_LT(edge[0], 90);
    EXPECT_GT(edge[1], 180);
    // The middle of the box is untouched grey.
    const uint8_t* inside = f.data + 130 * f.stride + 140 * 3;
    EXPECT_NEAR(inside[1], 128, 12);
  }
  EXPECT_EQ(frames, 30);
  EXPECT_NEAR(reader.fps(), 25, 0.01);
}

TEST_F(AnnotatedWriterTest, AnImageIsOneFrameAndTextNearTheTopGoesBelowTheBox) {
  const std::string path = dir_ + "/photo.png";
  const Frame grey;
  AnnotatedWriter writer(path, 0);
  writer.write(grey.view(), {{Box{10, 0, 100, 100}, {"face 3"}}});
  EXPECT_THROW(writer.write(grey.view(), {}), Error);
  writer.finish();
  VideoReader reader(path);
  ASSERT_TRUE(reader.next());
  const ImageView f = reader.frame();
  const auto green = [&](int y, int x) { return f.data[y * f.stride + x * 3 + 1]; };
  double below = 0;  // just below the box: the label, white text on black
  for (int y = 101; y < 109; ++y)
    for (int x = 11; x < 51; ++x) below += green(y, x) / (8.0 * 40.0);
  EXPECT_LT(below, 90) << "no label below the box";
  EXPECT_EQ(green(5, 14), 128) << "inside the box: untouched";
  EXPECT_EQ(green(50, 10), 255) << "the box's left edge";
}

TEST_F(AnnotatedWriterTest, AnUnfinishedWriterLeavesNoFileAndOnlyKnownFormatsAreTaken) {
  const Frame grey;
  {
    AnnotatedWriter writer(dir_ + "/killed.mp4", 25);
    writer.write(grey.view(), {});
  }
  EXPECT_TRUE(fs::is_empty(dir_));
  EXPECT_THROW(AnnotatedWriter(dir_ + "/clip.avi", 25), Error);
  EXPECT_TRUE(AnnotatedWriter::isTemporary(dir_ + "/.clip.partial.123.mp4"));
  EXPECT_FALSE(AnnotatedWriter::isTemporary(dir_ + "/clip.mp4"));
}

}  // namespace
}  // namespace au::faces
