#include "io/face_image.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>

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

// The largest crop decoded (then resized to 112x112): the frame header is read before the
// decoder runs, so a corrupt or hostile header cannot make it allocate gigabytes.
constexpr int kMaxSide = 4096;

struct JpegSize {
  int width = 0, height = 0;
};

// The size in the first frame header (SOFn), walking the marker segments up to the scan;
// nullopt when the segments run past the end or there is no frame header before the scan.
std::optional<JpegSize> jpegFrameSize(const std::string& bytes) {
  const auto byte = [&](size_t i) { return static_cast<unsigned>(static_cast<uint8_t>(bytes[i])); };
  size_t i = 2;  // after SOI
  while (i + 4 <= bytes.size()) {
    if (byte(i) != 0xFF) return std::nullopt;
    const unsigned marker = byte(i + 1);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {  // no length
      i += 2;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return std::nullopt;  // scan or end before a frame
    const size_t length = byte(i + 2) << 8 | byte(i + 3);
    if (length < 2 || i + 2 + length > bytes.size()) return std::nullopt;
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (length < 7) return std::nullopt;
      return JpegSize{static_cast<int>(byte(i + 7) << 8 | byte(i + 8)),
                      static_cast<int>(byte(i + 5) << 8 | byte(i + 6))};
    }
    i += 2 + length;
  }
  return std::nullopt;
}

}  // namespace

FaceImageResult decodeFaceImage(const std::string& bytes, uint8_t* rgb) {
  FaceImageResult result;
  if (!looksLikeCompleteJpeg(bytes)) {
    result.status = FaceImageStatus::kUnreadable;
    result.problem = bytes.empty() ? "empty file" : "not a complete JPEG (no start or end marker)";
    return result;
  }
  const auto size = jpegFrameSize(bytes);
  if (!size) {
    result.status = FaceImageStatus::kUnreadable;
    result.problem = "no JPEG frame header before the image data";
    return result;
  }
  if (size->width < 1 || size->height < 1 || size->width > kMaxSide || size->height > kMaxSide) {
    result.status = FaceImageStatus::kUnreadable;
    result.problem = "a JPEG of " + std::to_string(size->width) + "x" +
                     std::to_string(size->height) + " pixels; a face crop is 1 to " +
                     std::to_string(kMaxSide) + " pixels a side";
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
