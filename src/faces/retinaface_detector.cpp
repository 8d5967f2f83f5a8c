#include "faces/retinaface_detector.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

#include "common/error.h"

namespace au::faces {
namespace {

// The network's anchors (biubug6/Pytorch_Retinaface, cfg_mnet): two square sizes per cell at
// strides 8, 16 and 32, cells in row-major order, sizes innermost.
constexpr int kStrides[3] = {8, 16, 32};
constexpr float kAnchorSizes[3][2] = {{16, 32}, {64, 128}, {256, 512}};
constexpr float kCentreVariance = 0.1f, kSizeVariance = 0.2f;
// The BGR mean the network was trained with; padding takes this colour, so it is zero inside.
const cv::Scalar kMean(104, 117, 123);
constexpr int kAlign = 32;  // the FPN's upsampling is exact for sides that are multiples of this

struct Anchor {
  float cx, cy, size;
};

std::vector<Anchor> makeAnchors(int height, int width) {
  std::vector<Anchor> anchors;
  for (int level = 0; level < 3; ++level) {
    const int s = kStrides[level];
    for (int y = 0; y < height / s; ++y)
      for (int x = 0; x < width / s; ++x)
        for (const float size : kAnchorSizes[level])
          anchors.push_back({(static_cast<float>(x) + 0.5f) * static_cast<float>(s),
                             (static_cast<float>(y) + 0.5f) * static_cast<float>(s), size});
  }
  return anchors;
}

int roundUp(int value) { return (value + kAlign - 1) / kAlign * kAlign; }

cv::Rect searchedRect(const ImageView& image, const Box& region) {
  const cv::Rect whole(0, 0, image.width, image.height);
  if (region.area() <= 0) return whole;
  const cv::Rect wanted(
      static_cast<int>(std::floor(region.x)), static_cast<int>(std::floor(region.y)),
      static_cast<int>(std::ceil(region.width)), static_cast<int>(std::ceil(region.height)));
  return wanted & whole;
}

}  // namespace

struct RetinaFaceDetector::Impl {
  RetinaFaceOptions options;
  cv::dnn::Net net;
  std::map<std::pair<int, int>, std::vector<Anchor>> anchors;  // by padded input size
  std::vector<cv::Mat> outputs;
  const std::vector<cv::String> output_names{"loc", "conf", "landmarks"};

  const std::vector<Anchor>& anchorsFor(int height, int width) {
    auto& a = anchors[{height, width}];
    if (a.empty()) a = makeAnchors(height, width);
    return a;
  }
};

RetinaFaceDetector::RetinaFaceDetector(const RetinaFaceOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (options.image_size < kAlign || options.region_size < kAlign)
    AU_THROW(UsageError, "the detector's image and region sizes must be at least ", kAlign,
             " pixels, not ", options.image_size, " and ", options.region_size);
  if (!std::filesystem::is_regular_file(options.model))
    AU_THROW(UsageError, options.model,
             ": no face detector model there (jobs/setup.sh makes it: "
             "data_prep/make_face_detector.py)");
  try {
    impl_->net = cv::dnn::readNetFromONNX(options.model);
  } catch (const cv::Exception& e) {
    AU_THROW(UsageError, options.model, ": not a face detector OpenCV can read: ", e.what());
  }
  impl_->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  impl_->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
}

RetinaFaceDetector::~RetinaFaceDetector() = default;

std::vector<DetectedFace> RetinaFaceDetector::detect(const ImageView& image, float min_score,
                                                     const Box& region) {
  if (image.empty()) return {};
  const cv::Rect searched = searchedRect(image, region);
  if (searched.width < 2 || searched.height < 2) return {};
  const bool whole = region.area() <= 0;
  const cv::Mat all(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.data),
                    image.stride);
  const int side = whole ? impl_->options.image_size : impl_->options.region_size;
  const double scale = static_cast<double>(side) / std::max(searched.width, searched.height);
  const int width = std::max(1, static_cast<int>(std::lround(searched.width * scale)));
  const int height = std::max(1, static_cast<int>(std::lround(searched.height * scale)));
  cv::Mat scaled;
  cv::resize(all(searched), scaled, cv::Size(width, height), 0, 0,
             scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  const int padded_width = roundUp(width), padded_height = roundUp(height);
  cv::copyMakeBorder(scaled, scaled, 0, padded_height - height, 0, padded_width - width,
                     cv::BORDER_CONSTANT, kMean);
  impl_->net.setInput(cv::dnn::blobFromImage(scaled, 1.0, cv::Size(), kMean, false, false),
                      "input");
  impl_->net.forward(impl_->outputs, impl_->output_names);
  const std::vector<Anchor>& anchors = impl_->anchorsFor(padded_height, padded_width);
  const cv::Mat& loc = impl_->outputs[0];
  const cv::Mat& conf = impl_->outputs[1];
  const cv::Mat& marks = impl_->outputs[2];
  AU_CHECK(conf.dims == 3 && conf.size[1] == static_cast<int>(anchors.size()), "the detector gave ",
           conf.dims == 3 ? conf.size[1] : -1, " anchors for a ", padded_height, "x", padded_width,
           " input, expected ", anchors.size());

  // Back to the image's pixels: undo the scaling, then the region's offset.
  const auto toImage = [&](float x, float y) {
    return Point{static_cast<float>(x / scale) + static_cast<float>(searched.x),
                 static_cast<float>(y / scale) + static_cast<float>(searched.y)};
  };
  std::vector<DetectedFace> candidates;
  std::vector<cv::Rect2d> rects;
  std::vector<float> scores;
  const auto* l = loc.ptr<float>();
  const auto* c = conf.ptr<float>();
  const auto* m = marks.ptr<float>();
  for (size_t i = 0; i < anchors.size(); ++i) {
    const float score = c[2 * i + 1];
    if (score < min_score) continue;
    const Anchor& a = anchors[i];
    const float* d = l + 4 * i;
    const float cx = a.cx + d[0] * kCentreVariance * a.size;
    const float cy = a.cy + d[1] * kCentreVariance * a.size;
    const float w = a.size * std::exp(d[2] * kSizeVariance);
    const float h = a.size * std::exp(d[3] * kSizeVariance);
    DetectedFace face;
    const Point top_left = toImage(cx - w / 2, cy - h / 2);
    face.box = {top_left.x, top_left.y, static_cast<float>(w / scale),
                static_cast<float>(h / scale)};
    face.score = score;
    for (int k = 0; k < 5; ++k)
      face.landmarks[static_cast<size_t>(k)] =
          toImage(a.cx + m[10 * i + 2 * k] * kCentreVariance * a.size,
                  a.cy + m[10 * i + 2 * k + 1] * kCentreVariance * a.size);
    candidates.push_back(face);
    rects.emplace_back(face.box.x, face.box.y, face.box.width, face.box.height);
    scores.push_back(score);
  }
  std::vector<int> kept;
  cv::dnn::NMSBoxes(rects, scores, min_score, impl_->options.nms_overlap, kept);
  std::vector<DetectedFace> faces;
  for (const int k : kept) faces.push_back(candidates[static_cast<size_t>(k)]);
  // NMSBoxes keeps the best first; equal scores keep the anchors' order (deterministic).
  std::stable_sort(faces.begin(), faces.end(),
                   [](const DetectedFace& a, const DetectedFace& b) { return a.score > b.score; });
  return faces;
}

}  // namespace au::faces
