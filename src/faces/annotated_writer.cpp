#include "faces/annotated_writer.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::faces {
namespace fs = std::filesystem;

namespace {
constexpr const char* kPartial = ".partial.";
const cv::Scalar kBoxColour(0, 255, 0);  // BGR green
const cv::Scalar kTextColour(255, 255, 255);
const cv::Scalar kTextBackground(0, 0, 0);

// Box lines that read alike on a 360p and a 4K frame.
int boxThickness(const cv::Mat& frame) {
  return std::max(2, cvRound(std::min(frame.cols, frame.rows) / 240.0));
}

// Text sized to its face: a line of four AUs about as wide as the box, so that the labels of a
// crowd's small faces overlap less; never so small that it cannot be read.
struct Style {
  double font_scale;
  int line_height;
};
Style styleFor(const Box& box) {
  int baseline = 0;
  const double unit =
      cv::getTextSize("AU15 AU24 AU25 AU26", cv::FONT_HERSHEY_SIMPLEX, 1.0, 1, &baseline).width;
  const double scale = std::clamp(1.1 * box.width / unit, 0.35, 1.5);
  const cv::Size text = cv::getTextSize("AU", cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline);
  return {scale, text.height + baseline + 4};
}

cv::Rect pixels(const Box& box) {
  return {cvRound(box.x), cvRound(box.y), cvRound(box.width), cvRound(box.height)};
}

// The lines on a black ground above the box, or below it when the frame's top is too near.
void drawLabel(cv::Mat& frame, const FaceLabel& face) {
  const Style style = styleFor(face.box);
  const cv::Rect box = pixels(face.box);
  const int height = static_cast<int>(face.lines.size()) * style.line_height;
  int y = box.y - height;
  if (y < 0) y = std::min(box.y + box.height, frame.rows - height);
  for (const auto& line : face.lines) {
    int baseline = 0;
    const cv::Size size =
        cv::getTextSize(line, cv::FONT_HERSHEY_SIMPLEX, style.font_scale, 1, &baseline);
    cv::rectangle(frame, cv::Rect(box.x, y, size.width + 4, style.line_height), kTextBackground,
                  cv::FILLED);
    cv::putText(frame, line, cv::Point(box.x + 2, y + style.line_height - baseline - 2),
                cv::FONT_HERSHEY_SIMPLEX, style.font_scale, kTextColour, 1, cv::LINE_AA);
    y += style.line_height;
  }
}
}  // namespace

struct AnnotatedWriter::Impl {
  std::string path, temporary;
  double fps = 25;
  bool image = false, finished = false;
  int frames = 0;
  cv::Size size;
  cv::VideoWriter video;
};

AnnotatedWriter::AnnotatedWriter(const std::string& path, double fps)
    : impl_(std::make_unique<Impl>()) {
  const fs::path p(path);
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  AU_CHECK(ext == ".mp4" || ext == ".jpg" || ext == ".png",
           "an annotated output is .mp4, .jpg or .png, not ", path);
  impl_->path = path;
  impl_->image = ext != ".mp4";
  impl_->fps = fps > 0 ? fps : 25;
  impl_->temporary =
      (p.parent_path() / ("." + p.stem().string() + kPartial + std::to_string(::getpid()) + ext))
          .string();
}

AnnotatedWriter::~AnnotatedWriter() {
  if (impl_->finished) return;
  impl_->video.release();
  std::error_code ignored;
  fs::remove(impl_->temporary, ignored);
}

void AnnotatedWriter::write(const ImageView& frame, const std::vector<FaceLabel>& faces) {
  AU_CHECK(!impl_->finished, "AnnotatedWriter::write after finish");
  cv::Mat copy =
      cv::Mat(frame.height, frame.width, CV_8UC3, const_cast<uint8_t*>(frame.data), frame.stride)
          .clone();
  // Boxes last, so that no face's label hides another face's box.
  for (const auto& face : faces) drawLabel(copy, face);
  for (const auto& face : faces)
    cv::rectangle(copy, pixels(face.box), kBoxColour, boxThickness(copy));
  if (impl_->image) {
    AU_CHECK(impl_->frames == 0, impl_->path, ": an image takes one frame");
    if (!cv::imwrite(impl_->temporary, copy)) AU_THROW(Error, impl_->path, ": cannot write it");
  } else {
    if (impl_->frames == 0) {
      impl_->size = copy.size();
      if (!impl_->video.open(impl_->temporary, cv::CAP_FFMPEG,
                             cv::VideoWriter::fourcc('m', 'p', '4', 'v'), impl_->fps, impl_->size))
        AU_THROW(Error, impl_->path, ": OpenCV (FFmpeg) cannot write an MPEG-4 video there");
    }
    // A stream whose size changes midway: a video file keeps one, the first.
    if (copy.size() != impl_->size) cv::resize(copy, copy, impl_->size, 0, 0, cv::INTER_AREA);
    impl_->video.write(copy);
  }
  ++impl_->frames;
}

void AnnotatedWriter::finish() {
  impl_->video.release();
  if (impl_->frames > 0) commitTemporary(impl_->temporary, impl_->path);
  impl_->finished = true;
}

bool AnnotatedWriter::isTemporary(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  return !name.empty() && name[0] == '.' && name.find(kPartial) != std::string::npos;
}

}  // namespace au::faces
