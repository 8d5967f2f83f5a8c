// Drawing surface of one face: maps the canonical 112x112 face layout through the head pose to
// output pixels and draws anti-aliased shapes given in canonical units (internal to the renderer).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "synth/face_renderer.h"

namespace au::synth {

using Point2d = cv::Point2d;

constexpr double kCanonicalSize = 112.0;  // side of the canonical frame, in canonical units
constexpr double kFaceCentre = 56.0;      // centre of the canonical frame and pivot of the pose
constexpr int kSubpixelBits = 4;          // fixed-point bits for sub-pixel drawing
constexpr double kSubpixelScale = 1 << kSubpixelBits;

// Canonical units -> output pixels: a similarity transform about the canonical centre.
class PoseMapping {
 public:
  // `origin` is the output pixel where the canonical frame's top-left corner lands at the
  // identity pose; `pixels_per_unit` is the output size of one canonical unit at scale 1.
  PoseMapping(const FacePose& pose, double pixels_per_unit, Point2d origin);

  Point2d toPixels(Point2d canonical) const;
  Point2d toCanonical(Point2d pixel) const;
  // toPixels() in OpenCV's fixed-point coordinates (kSubpixelBits fractional bits).
  cv::Point toFixedPoint(Point2d canonical) const;
  // A line width in canonical units as whole pixels, at least 1.
  int lineThickness(double canonical) const;
  double pixelsPerUnit() const { return pixels_per_unit_; }
  double angleDeg() const { return angle_deg_; }
  // The same transform followed by a translation of the output.
  PoseMapping shiftedBy(Point2d offset) const;

 private:
  double pixels_per_unit_ = 1;  // including the pose's scale
  double angle_deg_ = 0;
  double scaled_cos_ = 1;  // pixels_per_unit_ * cos(angle)
  double scaled_sin_ = 0;  // pixels_per_unit_ * sin(angle)
  Point2d centre_pixel_;   // where the canonical centre lands
};

// `count` points along the quadratic Bezier curve from `start` to `end`.
std::vector<Point2d> bezier(Point2d start, Point2d control, Point2d end, int count);

// Anti-aliased drawing in canonical units onto `image` through `mapping`.
class FaceCanvas {
 public:
  FaceCanvas(cv::Mat& image, const PoseMapping& mapping) : image_(image), mapping_(mapping) {}

  void fillPolygon(const std::vector<Point2d>& polygon, const cv::Scalar& colour);
  void polyline(const std::vector<Point2d>& points, const cv::Scalar& colour, double thickness,
                bool closed = false);
  // A filled (thickness < 0) or outlined ellipse rotated by angle_deg in canonical space.
  void ellipse(Point2d centre, double half_axis_x, double half_axis_y, double angle_deg,
               const cv::Scalar& colour, double thickness = -1);
  // A filled ellipse whose colour fades from `colour` at the centre to `edge` at the rim.
  void softEllipse(Point2d centre, double half_axis_x, double half_axis_y, const cv::Scalar& edge,
                   const cv::Scalar& colour);

  // Draws `draw(layer, layer_mapping)` on a copy of the polygon's bounding box and keeps it only
  // inside the polygon (anti-aliased mask): how the iris is clipped by the lids.
  template <typename Draw>
  void drawClipped(const std::vector<Point2d>& polygon, Draw draw) {
    const std::vector<cv::Point> fixed_points = toFixedPoints(polygon);
    const cv::Rect box = clipBox(fixed_points);
    if (box.area() <= 0) return;
    cv::Mat layer = image_(box).clone();
    draw(layer, mapping_.shiftedBy(Point2d(-box.x, -box.y)));
    blendInside(fixed_points, box, layer);
  }

 private:
  std::vector<cv::Point> toFixedPoints(const std::vector<Point2d>& points) const;
  // The polygon's bounding box in whole pixels with a margin, clipped to the image.
  cv::Rect clipBox(const std::vector<cv::Point>& fixed_points) const;
  // Blends `layer` (the size of `box`) into the image where the polygon covers it.
  void blendInside(const std::vector<cv::Point>& fixed_points, const cv::Rect& box,
                   const cv::Mat& layer);

  cv::Mat& image_;
  const PoseMapping& mapping_;
};

}  // namespace au::synth
