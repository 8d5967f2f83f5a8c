#include "io/face_image.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "../io/test_dirs.h"
#include "common/atomic_file.h"
#include "io/shard_schema.h"

namespace au::io {
namespace {

std::vector<uint8_t> buffer() {
  return std::vector<uint8_t>(static_cast<size_t>(shard::kImageBytes));
}

TEST(FaceImage, Decodes112JpegAsRgb) {
  const auto dir = testing::freshDir("face_image_rgb");
  const cv::Mat red_bgr(112, 112, CV_8UC3, cv::Scalar(0, 0, 255));
  const std::string path = (dir / "00001.jpg").string();
  cv::imwrite(path, red_bgr);
  auto rgb = buffer();
  const auto result = readFaceImage(path, rgb.data());
  ASSERT_EQ(result.status, FaceImageStatus::kOk) << result.problem;
  EXPECT_FALSE(result.resized);
  EXPECT_GT(rgb[0], 240);  // R first
  EXPECT_LT(rgb[2], 15);   // B last
}

TEST(FaceImage, RealFacePhotoIsResizedTo112) {
  const std::string path = std::string(AU_SHARED_DIR) + "/testdata/real/single_face.jpg";
  auto rgb = buffer();
  const auto result = readFaceImage(path, rgb.data());
  ASSERT_EQ(result.status, FaceImageStatus::kOk) << path << ": " << result.problem;
  EXPECT_TRUE(result.resized);
  long sum = 0;
  for (uint8_t v : rgb) sum += v;
  EXPECT_GT(sum / static_cast<long>(rgb.size()), 20);  // a real picture, not black
}

TEST(FaceImage, TruncatedEmptyGarbageAndMissingFilesAreReported) {
  const auto dir = testing::freshDir("face_image_bad");
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", cv::Mat(112, 112, CV_8UC3, cv::Scalar(10, 200, 30)), jpeg);
  const std::string whole(jpeg.begin(), jpeg.end());
  testing::writeText(dir / "truncated.jpg", whole.substr(0, whole.size() / 2));
  testing::writeText(dir / "empty.jpg", "");
  testing::writeText(dir / "garbage.jpg", "\xFF\xD8 this is not a jpeg \xFF\xD9");
  auto rgb = buffer();
  EXPECT_EQ(readFaceImage((dir / "truncated.jpg").string(), rgb.data()).status,
            FaceImageStatus::kUnreadable);
  EXPECT_EQ(readFaceImage((dir / "empty.jpg").string(), rgb.data()).status,
            FaceImageStatus::kUnreadable);
  EXPECT_EQ(readFaceImage((dir / "garbage.jpg").string(), rgb.data()).status,
            FaceImageStatus::kUnreadable);
  EXPECT_EQ(readFaceImage((dir / "absent.jpg").string(), rgb.data()).status,
            FaceImageStatus::kMissing);
  EXPECT_EQ(decodeFaceImage(whole, rgb.data()).status, FaceImageStatus::kOk);
}

// The frame header's size is read before decoding: a header claiming a huge image would make
// the decoder allocate gigabytes for one crop (found by tests/fuzz/fuzz_face_image).
TEST(FaceImage, AFrameHeaderClaimingAHugeImageIsRefusedBeforeDecoding) {
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", cv::Mat(112, 112, CV_8UC3, cv::Scalar(10, 200, 30)), jpeg);
  std::string bytes(jpeg.begin(), jpeg.end());
  size_t sof = 2;  // walk the segments to the baseline frame header (FF C0)
  while (static_cast<uint8_t>(bytes[sof + 1]) != 0xC0)
    sof += 2 + (static_cast<uint8_t>(bytes[sof + 2]) << 8 | static_cast<uint8_t>(bytes[sof + 3]));
  ASSERT_EQ(static_cast<uint8_t>(bytes[sof + 6]), 112);       // height's low byte
  bytes[sof + 5] = bytes[sof + 7] = static_cast<char>(0xEA);  // 112 -> 60016 both ways
  auto rgb = buffer();
  const auto result = decodeFaceImage(bytes, rgb.data());
  EXPECT_EQ(result.status, FaceImageStatus::kUnreadable);
  EXPECT_NE(result.problem.find("60016x60016"), std::string::npos) << result.problem;
  EXPECT_EQ(decodeFaceImage(bytes.substr(0, sof) + "\xFF\xD9", rgb.data()).problem,
            "no JPEG frame header before the image data");
}

}  // namespace
}  // namespace au::io
