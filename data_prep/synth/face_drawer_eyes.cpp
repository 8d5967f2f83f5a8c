// FaceDrawer's upper face: eyes, brows and the wrinkles of the forehead and between the brows.
#include <algorithm>
#include <cmath>

#include "synth/colour_math.h"
#include "synth/face_drawer.h"

namespace au::synth {

void FaceDrawer::drawForehead() {
  const double inner_strength = 0.85 * au_[kAu1] + 0.3 * identity_.wrinkles;
  const double outer_strength = 0.85 * au_[kAu2] + 0.3 * identity_.wrinkles;
  const double top_limit = identity_.hairline_y + 2.5;
  for (int row = 0; row < 3; ++row) {
    const double y = browCentreY() - 7.5 - 4.0 * row - 1.5 * std::max(au_[kAu1], au_[kAu2]);
    if (y < top_limit) continue;
    if (inner_strength > 0.05) {
      std::vector<Point2d> points;
      for (int i = 0; i <= 8; ++i) {
        const double u = -1 + i / 4.0;
        points.push_back(Point2d(kFaceCentre + 10 * u, y - 1.2 * (1 - u * u)));
      }
      canvas_.polyline(points, blend(skin_, scaled(skin_, 0.62), inner_strength), 0.9);
    }
    if (outer_strength > 0.05) {
      for (int side : {-1, 1}) {
        std::vector<Point2d> points;
        for (int i = 0; i <= 6; ++i) {
          const double u = i / 6.0;
          points.push_back(Point2d(kFaceCentre + side * (12 + 13 * u), y + 0.4 + 1.6 * u * u));
        }
        canvas_.polyline(points, blend(skin_, scaled(skin_, 0.62), outer_strength), 0.9);
      }
    }
  }
}
void FaceDrawer::drawEye(int side) {
  const double half_width = identity_.eye_half_width;
  const Point2d centre(kFaceCentre + side * identity_.eye_separation, identity_.eye_y);
  const Point2d inner(centre.x - side * half_width, centre.y + 0.5);
  const Point2d outer(centre.x + side * half_width, centre.y - 0.3);
  const double upper_height =
      identity_.eye_upper * (1 - 0.2 * au_[kAu7] - 0.12 * au_[kAu6] - 0.1 * au_[kAu4]);
  const double lower_depth = identity_.eye_lower * (1 - 0.85 * au_[kAu7] - 0.5 * au_[kAu6]);
  const double lower_raise = 1.0 * au_[kAu7] + 0.8 * au_[kAu6];
  constexpr int kLidPoints = 11;
  std::vector<Point2d> upper(kLidPoints), lower(kLidPoints);
  for (int i = 0; i < kLidPoints; ++i) {
    const double t = static_cast<double>(i) / (kLidPoints - 1);
    const Point2d base = inner + (outer - inner) * t;
    const double upper_profile = std::pow(std::sin(M_PI * std::pow(t, 0.85)), 0.75);
    const double lower_profile = std::pow(std::sin(M_PI * std::pow(t, 1.1)), 0.9);
    upper[i] = Point2d(base.x, base.y - upper_height * upper_profile);
    lower[i] = Point2d(
        base.x, std::max(upper[i].y + 0.5 * std::sin(M_PI * t),
                         base.y + lower_depth * lower_profile - lower_raise * std::sin(M_PI * t)));
  }
  // Upper-lid socket shading and crease, following the current lid.
  canvas_.ellipse(Point2d(centre.x + side * 0.3, centre.y - identity_.eye_upper * 0.55),
                  half_width * 1.25, identity_.eye_upper * 1.55 + 0.8, 0, scaled(skin_, 0.91));
  std::vector<Point2d> crease;
  for (int i = 1; i < kLidPoints - 1; ++i)
    crease.push_back(upper[i] + Point2d(0, -1.7 - 0.4 * std::sin(M_PI * i / (kLidPoints - 1))));
  canvas_.polyline(crease, scaled(skin_, 0.8), 0.8);

  std::vector<Point2d> opening = upper;
  opening.insert(opening.end(), lower.rbegin(), lower.rend());
  const cv::Scalar white = blend(rgb(240, 238, 235), skin_, 0.12);
  const Point2d iris_centre(centre.x, centre.y - 0.35);
  const double iris_radius = identity_.iris_radius;
  const cv::Scalar iris = identity_.iris;
  canvas_.drawClipped(opening, [&](cv::Mat& layer, const PoseMapping& layer_mapping) {
    FaceCanvas eyeball(layer, layer_mapping);
    eyeball.fillPolygon(opening, white);
    eyeball.ellipse(iris_centre, iris_radius, iris_radius, 0, iris);
    eyeball.ellipse(iris_centre, iris_radius, iris_radius, 0, scaled(iris, 0.55), 0.5);
    eyeball.ellipse(iris_centre, iris_radius * 0.42, iris_radius * 0.42, 0, rgb(18, 16, 16));
    eyeball.ellipse(iris_centre + Point2d(0.9, -0.9), 0.55, 0.55, 0, rgb(250, 250, 250));
    // The upper lid shades the top of the eyeball.
    std::vector<Point2d> shade = upper;
    for (int i = kLidPoints - 1; i >= 0; --i) shade.push_back(upper[i] + Point2d(0, 0.9));
    eyeball.fillPolygon(shade, scaled(white, 0.7));
  });
  // Lash line (with a short outer flick) and the lower lid.
  std::vector<Point2d> lash = upper;
  lash.push_back(outer + Point2d(side * 1.0, -0.6));
  canvas_.polyline(lash, blend(identity_.brow, rgb(10, 10, 10), 0.6), 1.1);
  canvas_.polyline(lower, scaled(skin_, 0.74), 0.7);
  // Lid tightening bulges the lower lid; the raised cheek deepens the furrow below it.
  std::vector<Point2d> furrow;
  for (int i = 2; i < kLidPoints - 1; ++i) {
    furrow.push_back(lower[i] +
                     Point2d(side * 0.4, 2.4 + 0.6 * std::sin(M_PI * i / (kLidPoints - 1))));
  }
  const double furrow_strength =
      0.12 + 0.5 * au_[kAu6] + 0.35 * au_[kAu7] + 0.3 * identity_.wrinkles;
  canvas_.polyline(furrow, blend(skin_, scaled(skin_, 0.7), furrow_strength), 0.8);
  // Crow's feet at the outer corner.
  const double crows_feet = 0.95 * au_[kAu6] + 0.25 * identity_.wrinkles * au_[kAu12];
  if (crows_feet > 0.05) {
    for (int k = -1; k <= 1; ++k) {
      const Point2d start = outer + Point2d(side * 1.6, 0.6 + 1.5 * k);
      canvas_.polyline({start, start + Point2d(side * 4.5, 1.9 * k + 0.3)},
                       blend(skin_, scaled(skin_, 0.55), crows_feet), 0.8);
    }
  }
}

void FaceDrawer::drawBrow(int side) {
  const double eye_half_width = identity_.eye_half_width;
  const double inner_end = identity_.eye_separation - eye_half_width - 1.0;
  const double outer_end = identity_.eye_separation + eye_half_width + 2.5;
  constexpr int kPoints = 11;
  std::vector<Point2d> top(kPoints), bottom(kPoints);
  for (int i = 0; i < kPoints; ++i) {
    const double t = static_cast<double>(i) / (kPoints - 1);  // 0 inner end, 1 outer end
    const double x = kFaceCentre + side * (inner_end + (outer_end - inner_end) * t) -
                     side * 2.4 * au_[kAu4] * std::pow(1 - t, 1.2);
    const double y = browCentreY() - identity_.brow_arch * std::sin(M_PI * (0.12 + 0.76 * t)) +
                     1.8 * t - 4.5 * au_[kAu1] * std::pow(1 - t, 2.0) -
                     4.2 * au_[kAu2] * std::pow(t, 1.7) + 3.2 * au_[kAu4] * (1 - 0.45 * t);
    double thickness = identity_.brow_thickness * (1.1 - 0.5 * t);
    if (t < 0.1) thickness *= 0.7 + 3 * t;
    if (t > 0.8) thickness *= 1 - (t - 0.8) * 2.5;
    top[i] = Point2d(x, y - thickness / 2);
    bottom[i] = Point2d(x, y + thickness / 2);
  }
  std::vector<Point2d> outline = top;
  outline.insert(outline.end(), bottom.rbegin(), bottom.rend());
  canvas_.fillPolygon(outline, identity_.brow);
}

void FaceDrawer::drawGlabella() {
  // Vertical frown lines between the brows, and a horizontal one at the root of the nose.
  const double strength = 0.95 * au_[kAu4];
  if (strength < 0.05) return;
  const double y0 = browCentreY() + 3.2 * au_[kAu4] - 3.5;
  const cv::Scalar colour = blend(skin_, scaled(skin_, 0.5), strength);
  for (int side : {-1, 1}) {
    canvas_.polyline(
        bezier(Point2d(kFaceCentre + side * 2.4, y0), Point2d(kFaceCentre + side * 1.6, y0 + 4),
               Point2d(kFaceCentre + side * 2.2, y0 + 8), 5),
        colour, 0.9);
  }
  canvas_.polyline({Point2d(kFaceCentre - 2.5, identity_.eye_y - 1.5),
                    Point2d(kFaceCentre + 2.5, identity_.eye_y - 1.5)},
                   blend(skin_, scaled(skin_, 0.7), 0.5 * strength), 0.8);
}
}  // namespace au::synth
