#include "faces/face_alignment.h"

#include <opencv2/imgproc.hpp>

#include "common/error.h"

namespace au::faces {
namespace {

// insightface's arcface_dst for 112x112 crops (recognition/common/face_align.py).
constexpr float kArcFace112[5][2] = {{38.2946f, 51.6963f},
                                     {73.5318f, 51.5014f},
                                     {56.0252f, 71.7366f},
                                     {41.5493f, 92.3655f},
                                     {70.7299f, 92.2041f}};

}  // namespace

Landmarks alignmentTemplate(const AlignmentOptions& options) {
  AU_CHECK(options.size > 0 && options.margin > -1, "bad alignment options: size ", options.size,
           ", margin ", options.margin);
  if (!options.points.empty() && options.points.size() != 10)
    AU_THROW(UsageError, "an alignment template is 10 numbers (x1,y1,...,x5,y5), not ",
             options.points.size());
  const auto at = [&](size_t k, size_t axis) {
    return options.points.empty() ? kArcFace112[k][axis]
                                  : static_cast<float>(options.points[2 * k + axis]);
  };
  const float scale = static_cast<float>(options.size) / 112.0f;
  const float centre = static_cast<float>(options.size) / 2.0f;
  Landmarks points;
  for (size_t k = 0; k < points.size(); ++k)
    points[k] = {centre + (at(k, 0) * scale - centre) / (1 + options.margin),
                 centre + (at(k, 1) * scale - centre) / (1 + options.margin)};
  return points;
}

Affine similarityTransform(const Landmarks& from, const Landmarks& to) {
  const double n = static_cast<double>(from.size());
  double fx = 0, fy = 0, tx = 0, ty = 0;
  for (size_t k = 0; k < from.size(); ++k) {
    fx += from[k].x, fy += from[k].y, tx += to[k].x, ty += to[k].y;
  }
  fx /= n, fy /= n, tx /= n, ty /= n;
  // With centred points u (from) and v (to), the best x' = a u.x - b u.y, y' = b u.x + a u.y has
  // a = sum(u.v) / sum(|u|^2) and b = sum(u x v) / sum(|u|^2).
  double dot = 0, cross = 0, norm = 0;
  for (size_t k = 0; k < from.size(); ++k) {
    const double ux = from[k].x - fx, uy = from[k].y - fy;
    const double vx = to[k].x - tx, vy = to[k].y - ty;
    dot += ux * vx + uy * vy;
    cross += ux * vy - uy * vx;
    norm += ux * ux + uy * uy;
  }
  AU_CHECK(norm > 0, "the landmarks are all at one point");
  const double a = dot / norm, b = cross / norm;
  return {a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy)};
}

Point transformPoint(const Affine& m, const Point& p) {
  return {static_cast<float>(m[0] * p.x + m[1] * p.y + m[2]),
          static_cast<float>(m[3] * p.x + m[4] * p.y + m[5])};
}

void warpFace(const ImageView& image, const Affine& transform, int size, uint8_t* out_rgb) {
  AU_CHECK(!image.empty() && size > 0, "nothing to warp");
  const cv::Mat source(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.data),
                       image.stride);
  const cv::Mat matrix(2, 3, CV_64F, const_cast<double*>(transform.data()));
  cv::Mat bgr;
  cv::warpAffine(source, bgr, matrix, cv::Size(size, size), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(0, 0, 0));
  cv::Mat rgb(size, size, CV_8UC3, out_rgb);
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
}

}  // namespace au::faces
