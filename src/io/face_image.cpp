#include "io/face_image.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "io/shard_schema.h"

namespace au::io {
namespace {

// libjpeg decodes a truncated file into a partly grey image with only a warning, so a file
// must start with SOI and end with EOI (allowing trailing padding) to count as whole.
bool looksLikeCompleteJpeg(const std::string& bytes) {
  if (bytes.size() < 4) return false;
  if (static_cast<unsigned char>(bytes[0]) != 0xFF || static_cast<unsigned char>(bytes[1]) != 0xD8)
    return false;
  const size_t tail = bytes.size() > 64 ? bytes.size() - 64 : 2;
  for (size_t i = bytes.size() - 1; i > tail; --i)
    if (static_cast<unsigned char>(bytes[i - 1]) == 0xFF &&
        static_cast<unsigned char>(bytes[i]) == 0xD9)
      return true;
  return false;
}

}  // namespace

FaceImageResult decodeFaceImage(const std::string& bytes, uint8_t* rgb) {
  FaceImageResult result;
  if (!looksLikeCompleteJpeg(bytes)) {
    result.status = FaceImageStatus::kUnreadable;
    result.problem = bytes.empty() ? "empty file" : "not a complete JPEG (no start or end marker)";
    return result;
  }
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1,
                        const_cast<char*>(bytes.data()));
  cv::Mat bgr = cv::imdecode(encoded, cv::IMREAD_COLOR);
  if (bgr.empty()) {
    result.status = FaceImageStatus::kUnreadable;
    result.problem = "JPEG decoder failed";
    return result;
  }
  constexpr int kSize = shard::kImageSize;
  if (bgr.rows != kSize || bgr.cols != kSize) {
    cv::resize(bgr, bgr, cv::Size(kSize, kSize), 0, 0, cv::INTER_AREA);
    result.resized = true;
  }
  cv::Mat out(kSize, kSize, CV_8UC3, rgb);
  cv::cvtColor(bgr, out, cv::COLOR_BGR2RGB);
  return result;
}

FaceImageResult readFaceImage(const std::string& path, uint8_t* rgb) {
  FaceImageResult result;
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    result.status = errno == ENOENT ? FaceImageStatus::kMissing : FaceImageStatus::kUnreadable;
    result.problem = std::strerror(errno);
    return result;
  }
  std::string bytes;
  char block[65536];
  while (true) {
    const ssize_t got = ::read(fd, block, sizeof block);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      result.status = FaceImageStatus::kUnreadable;
      result.problem = std::strerror(errno);
      ::close(fd);
      return result;
    }
    if (got == 0) break;
    bytes.append(block, static_cast<size_t>(got));
  }
  ::close(fd);
  return decodeFaceImage(bytes, rgb);
}

}  // namespace au::io
