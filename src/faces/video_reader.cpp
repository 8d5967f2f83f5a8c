#include "faces/video_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>
#include <set>

#include "common/error.h"

namespace au::faces {

struct VideoReader::Impl {
  std::string path;
  cv::VideoCapture capture;
  cv::Mat frame;
  bool image = false;  // a still image: one frame, decoded when opened
};

namespace {
std::string lowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}
}  // namespace

bool VideoReader::isImage(const std::string& path) {
  static const std::set<std::string> kImages = {".jpg", ".jpeg", ".png", ".bmp", ".webp"};
  return kImages.count(lowerExtension(path)) > 0;
}

bool VideoReader::isVideo(const std::string& path) {
  static const std::set<std::string> kVideos = {".mp4", ".mov",  ".avi", ".mkv", ".webm", ".m4v",
                                                ".mpg", ".mpeg", ".wmv", ".flv", ".3gp",  ".ts",
                                                ".mts", ".m2ts", ".ogv", ".mxf", ".vob",  ".dv"};
  return kVideos.count(lowerExtension(path)) > 0;
}

VideoReader::VideoReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  if (!std::filesystem::is_regular_file(path)) throw DataError(path, 0, "no such file");
  if (isImage(path)) {
    impl_->image = true;
    impl_->frame = cv::imread(path, cv::IMREAD_COLOR);
    if (impl_->frame.empty()) throw DataError(path, 0, "not an image OpenCV can decode");
    fps_ = 1;
    claimed_frames_ = 1;
    return;
  }
  if (!impl_->capture.open(path, cv::CAP_FFMPEG))
    throw DataError(path, 0, "not a video OpenCV (FFmpeg) can open");
  fps_ = std::max(0.0, impl_->capture.get(cv::CAP_PROP_FPS));
  const double count = impl_->capture.get(cv::CAP_PROP_FRAME_COUNT);
  claimed_frames_ = count > 0 ? static_cast<long long>(count) : -1;
}

VideoReader::~VideoReader() = default;

bool VideoReader::next() {
  if (impl_->image) {
    if (frame_number_ > 0) return false;
    frame_number_ = 1;
    return true;
  }
  if (!impl_->capture.read(impl_->frame) || impl_->frame.empty()) return false;
  ++frame_number_;
  // The decoder's presentation time when it has one, else the frame's place at the nominal rate.
  const double ms = impl_->capture.get(cv::CAP_PROP_POS_MSEC);
  if (ms > 0)
    timestamp_ = ms / 1000.0;
  else
    timestamp_ = fps_ > 0 ? (frame_number_ - 1) / fps_ : 0.0;
  return true;
}

ImageView VideoReader::frame() const {
  const cv::Mat& f = impl_->frame;
  if (f.empty() || frame_number_ == 0) return {};
  return {f.data, f.cols, f.rows, f.step[0]};
}

}  // namespace au::faces
