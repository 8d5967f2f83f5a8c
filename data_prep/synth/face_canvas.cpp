#include "synth/face_canvas.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "synth/colour_math.h"

namespace au::synth {

PoseMapping::PoseMapping(const FacePose& pose, double pixels_per_unit, Point2d origin) {
  const double theta = pose.angle_deg * M_PI / 180.0;
  pixels_per_unit_ = pixels_per_unit * pose.scale;
  angle_deg_ = pose.angle_deg;
  scaled_cos_ = pixels_per_unit_ * std::cos(theta);
  scaled_sin_ = pixels_per_unit_ * std::sin(theta);
  centre_pixel_ = origin + Point2d(kFaceCentre + pose.dx, kFaceCentre + pose.dy) * pixels_per_unit;
}

Point2d PoseMapping::toPixels(Point2d canonical) const {
  const Point2d d = canonical - Point2d(kFaceCentre, kFaceCentre);
  return Point2d(centre_pixel_.x + scaled_cos_ * d.x - scaled_sin_ * d.y,
                 centre_pixel_.y + scaled_sin_ * d.x + scaled_cos_ * d.y);
}

Point2d PoseMapping::toCanonical(Point2d pixel) const {
  const Point2d d = pixel - centre_pixel_;
  const double scale_squared = pixels_per_unit_ * pixels_per_unit_;
  return Point2d(kFaceCentre + (scaled_cos_ * d.x + scaled_sin_ * d.y) / scale_squared,
                 kFaceCentre + (-scaled_sin_ * d.x + scaled_cos_ * d.y) / scale_squared);
}

cv::Point PoseMapping::toFixedPoint(Point2d canonical) const {
  const Point2d pixel = toPixels(canonical);
  return cv::Point(static_cast<int>(std::lround(pixel.x * kSubpixelScale)),
                   static_cast<int>(std::lround(pixel.y * kSubpixelScale)));
}

int PoseMapping::lineThickness(double canonical) const {
  return std::max(1, static_cast<int>(std::lround(canonical * pixels_per_unit_)));
}

PoseMapping PoseMapping::shiftedBy(Point2d offset) const {
  PoseMapping shifted = *this;
  shifted.centre_pixel_ += offset;
  return shifted;
}

std::vector<Point2d> bezier(Point2d start, Point2d control, Point2d end, int count) {
  std::vector<Point2d> points(count);
  for (int i = 0; i < count; ++i) {
    const double t = static_cast<double>(i) / (count - 1);
    points[i] = start * ((1 - t) * (1 - t)) + control * (2 * t * (1 - t)) + end * (t * t);
  }
  return points;
}

void FaceCanvas::fillPolygon(const std::vector<Point2d>& polygon, const cv::Scalar& colour) {
  const std::vector<cv::Point> fixed_points = toFixedPoints(polygon);
  const cv::Point* contours[1] = {fixed_points.data()};
  const int count = static_cast<int>(fixed_points.size());
  cv::fillPoly(image_, contours, &count, 1, colour, cv::LINE_AA, kSubpixelBits);
}

void FaceCanvas::polyline(const std::vector<Point2d>& points, const cv::Scalar& colour,
                          double thickness, bool closed) {
  const std::vector<cv::Point> fixed_points = toFixedPoints(points);
  const cv::Point* contours[1] = {fixed_points.data()};
  const int count = static_cast<int>(fixed_points.size());
  cv::polylines(image_, contours, &count, 1, closed, colour, mapping_.lineThickness(thickness),
                cv::LINE_AA, kSubpixelBits);
}

void FaceCanvas::ellipse(Point2d centre, double half_axis_x, double half_axis_y, double angle_deg,
                         const cv::Scalar& colour, double thickness) {
  const double fixed_per_unit = mapping_.pixelsPerUnit() * kSubpixelScale;
  const cv::Size axes(std::max(1, static_cast<int>(std::lround(half_axis_x * fixed_per_unit))),
                      std::max(1, static_cast<int>(std::lround(half_axis_y * fixed_per_unit))));
  cv::ellipse(image_, mapping_.toFixedPoint(centre), axes, angle_deg + mapping_.angleDeg(), 0, 360,
              colour, thickness < 0 ? cv::FILLED : mapping_.lineThickness(thickness), cv::LINE_AA,
              kSubpixelBits);
}

void FaceCanvas::softEllipse(Point2d centre, double half_axis_x, double half_axis_y,
                             const cv::Scalar& edge, const cv::Scalar& colour) {
  // Four nested ellipses: full size a quarter of the way from `edge` to `colour`, down to 0.4x
  // in `colour` itself.
  for (int ring = 1; ring <= 4; ++ring) {
    const double size = 1.2 - 0.2 * ring;
    ellipse(centre, half_axis_x * size, half_axis_y * size, 0, blend(edge, colour, 0.25 * ring));
  }
}

std::vector<cv::Point> FaceCanvas::toFixedPoints(const std::vector<Point2d>& points) const {
  std::vector<cv::Point> fixed_points(points.size());
  for (size_t i = 0; i < points.size(); ++i) fixed_points[i] = mapping_.toFixedPoint(points[i]);
  return fixed_points;
}

cv::Rect FaceCanvas::clipBox(const std::vector<cv::Point>& fixed_points) const {
  constexpr int kFixedPerPixel = static_cast<int>(kSubpixelScale);
  const cv::Rect fixed_box = cv::boundingRect(fixed_points);
  // Whole pixels, with a margin for the anti-aliased rim.
  cv::Rect box(fixed_box.x / kFixedPerPixel - 2, fixed_box.y / kFixedPerPixel - 2,
               fixed_box.width / kFixedPerPixel + 5, fixed_box.height / kFixedPerPixel + 5);
  box &= cv::Rect(0, 0, image_.cols, image_.rows);
  return box;
}

void FaceCanvas::blendInside(const std::vector<cv::Point>& fixed_points, const cv::Rect& box,
                             const cv::Mat& layer) {
  constexpr int kFixedPerPixel = static_cast<int>(kSubpixelScale);
  cv::Mat mask = cv::Mat::zeros(box.size(), CV_8UC1);
  std::vector<cv::Point> local(fixed_points.size());
  const cv::Point box_origin(box.x * kFixedPerPixel, box.y * kFixedPerPixel);
  for (size_t i = 0; i < fixed_points.size(); ++i) local[i] = fixed_points[i] - box_origin;
  const cv::Point* contours[1] = {local.data()};
  const int count = static_cast<int>(local.size());
  cv::fillPoly(mask, contours, &count, 1, cv::Scalar(255), cv::LINE_AA, kSubpixelBits);
  for (int y = 0; y < box.height; ++y) {
    const uint8_t* mask_row = mask.ptr<uint8_t>(y);
    cv::Vec3b* destination = image_.ptr<cv::Vec3b>(box.y + y) + box.x;
    const cv::Vec3b* source = layer.ptr<cv::Vec3b>(y);
    for (int x = 0; x < box.width; ++x) {
      const int alpha = mask_row[x];
      if (alpha == 0) continue;
      for (int c = 0; c < 3; ++c)
        destination[x][c] = static_cast<uint8_t>(
            (destination[x][c] * (255 - alpha) + source[x][c] * alpha + 127) / 255);
    }
  }
}

}  // namespace au::synth
