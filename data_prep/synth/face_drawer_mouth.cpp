// FaceDrawer's lower face: lips, teeth, the creases around the mouth, the chin and the
// nasolabial folds.
#include <algorithm>
#include <cmath>

#include "synth/colour_math.h"
#include "synth/face_drawer.h"

namespace au::synth {

void FaceDrawer::drawFold(int side) {
  // The nasolabial fold, from beside the nostril to beyond the mouth corner.
  const double nose_half_width = identity_.nose_half_width;
  const double a10 = au_[kAu10], a12 = au_[kAu12];
  const Point2d start(kFaceCentre + side * (nose_half_width * 0.95 + 0.6 + 0.6 * a10),
                      identity_.nose_y + 1.5 - 1.5 * a10);
  const Point2d end(kFaceCentre + side * (mouth_.half_width + 3.2 + 1.0 * a12),
                    identity_.mouth_y + 4.5 - 2.5 * a12 + 0.5 * jaw_drop_);
  // The fold bows outwards around the mouth, like a parenthesis.
  const Point2d control(end.x + side * (1.0 + 0.8 * a12), start.y + 0.35 * (end.y - start.y));
  const double depth =
      std::min(1.0, identity_.wrinkles + 0.55 * a10 + 0.6 * a12 + 0.15 * au_[kAu6]);
  if (depth < 0.05) return;
  const auto points = bezier(start, control, end, 9);
  std::vector<Point2d> bulge;
  for (const auto& point : points) bulge.push_back(point + Point2d(side * 1.2, -0.4));
  canvas_.polyline(bulge, blend(skin_, scaled(skin_, 1.1), 0.6 * depth), 0.9);
  canvas_.polyline(points, blend(skin_, scaled(skin_, 0.7), depth), 0.9);
}

void FaceDrawer::drawMouth() {
  const double a23 = au_[kAu23], a24 = au_[kAu24];
  const cv::Scalar lips = blend(identity_.lips, scaled(skin_, 0.92), 0.35 * a23 + 0.45 * a24);
  if (mouth_.opening > 0.25) drawMouthInterior();
  canvas_.fillPolygon(mouth_.band(mouth_.upper_top, mouth_.upper_bottom), scaled(lips, 0.9));
  canvas_.fillPolygon(mouth_.band(mouth_.lower_top, mouth_.lower_bottom), lips);
  const int count = static_cast<int>(mouth_.x.size());
  const int mid = count / 2;
  const double lower_lip_height = mouth_.lower_bottom[mid] - mouth_.lower_top[mid];
  canvas_.ellipse(Point2d(kFaceCentre, lerp(mouth_.lower_top[mid], mouth_.lower_bottom[mid], 0.4)),
                  mouth_.half_width * 0.25, std::max(0.3, lower_lip_height * 0.18), 0,
                  blend(lips, rgb(255, 240, 240), 0.1));
  // The line where the lips meet; pressing makes it darker and longer.
  if (mouth_.opening < 1.2) {
    std::vector<double> meeting_y(count);
    for (int i = 0; i < count; ++i)
      meeting_y[i] = 0.5 * (mouth_.upper_bottom[i] + mouth_.lower_top[i]);
    auto points = mouth_.outline(meeting_y);
    points.front().x -= 0.6 + 1.2 * a24;
    points.back().x += 0.6 + 1.2 * a24;
    canvas_.polyline(points, blend(scaled(lips, 0.45), rgb(40, 20, 20), 0.6 * a24),
                     0.8 + 0.5 * a24);
  }
  drawMouthCreases();
}

void FaceDrawer::drawMouthInterior() {
  canvas_.fillPolygon(mouth_.band(mouth_.upper_bottom, mouth_.lower_top), rgb(70, 28, 32));
  // Lower teeth ride on the jaw, upper teeth on the skull; each stops at the other lip.
  const int count = static_cast<int>(mouth_.x.size());
  std::vector<double> lower_teeth_top(count), upper_teeth_bottom(count);
  for (int i = 0; i < count; ++i) {
    const double s = -1 + 2.0 * i / (count - 1);
    const double upper_profile = std::pow(clamp01(1 - std::pow(s / 0.78, 2)), 0.3);
    const double lower_profile = std::pow(clamp01(1 - std::pow(s / 0.62, 2)), 0.3);
    upper_teeth_bottom[i] =
        std::min(mouth_.upper_bottom[i] + 3.3 * upper_profile, mouth_.lower_top[i]);
    lower_teeth_top[i] =
        std::max(mouth_.lower_top[i] - 2.2 * lower_profile, mouth_.upper_bottom[i]);
  }
  canvas_.fillPolygon(mouth_.band(lower_teeth_top, mouth_.lower_top, 0.62), rgb(200, 196, 186));
  canvas_.fillPolygon(mouth_.band(mouth_.upper_bottom, upper_teeth_bottom, 0.78),
                      rgb(236, 232, 222));
}

void FaceDrawer::drawMouthCreases() {
  // Tightened lips: small vertical creases above the upper lip.
  const double a23 = au_[kAu23];
  if (a23 > 0.05) {
    const int count = static_cast<int>(mouth_.x.size());
    for (double x : {-7.0, -3.2, 3.2, 7.0}) {
      const int i =
          std::min(count - 1, std::max(0, static_cast<int>(std::lround((x / mouth_.half_width + 1) *
                                                                       (count - 1) / 2))));
      const double y = mouth_.upper_top[i] - 0.8;
      canvas_.polyline({Point2d(kFaceCentre + x, y), Point2d(kFaceCentre + x * 1.08, y - 3.2)},
                       blend(skin_, scaled(skin_, 0.65), 0.8 * a23), 0.7);
    }
  }
  // Depressed corners: lines running down from the corners.
  const double a15 = au_[kAu15];
  if (a15 > 0.05) {
    drawBesideCorners(Point2d(0.8, 1.2), Point2d(2.2, 4), Point2d(1.8, 8.5),
                      blend(skin_, scaled(skin_, 0.6), 0.8 * a15), 0.9);
  }
  // Smile: the corners dimple inwards.
  const double a12 = au_[kAu12];
  if (a12 > 0.05) {
    drawBesideCorners(Point2d(0.6, -2.0), Point2d(1.8, 0), Point2d(0.8, 2.2),
                      blend(skin_, scaled(skin_, 0.7), 0.7 * a12), 0.8);
  }
}

void FaceDrawer::drawBesideCorners(Point2d start, Point2d control, Point2d end,
                                   const cv::Scalar& colour, double thickness) {
  for (int side : {-1, 1}) {
    // Both corners sit at the height of the left one: the lips are symmetric.
    const Point2d corner(side < 0 ? mouth_.x.front() : mouth_.x.back(),
                         mouth_.upper_bottom.front());
    canvas_.polyline(bezier(corner + Point2d(side * start.x, start.y),
                            corner + Point2d(side * control.x, control.y),
                            corner + Point2d(side * end.x, end.y), 5),
                     colour, thickness);
  }
}

void FaceDrawer::drawChin() {
  const int mid = static_cast<int>(mouth_.lower_bottom.size()) / 2;
  const double lower_lip_bottom = mouth_.lower_bottom[mid];
  const double a24 = au_[kAu24];
  // Chin boss between the lower lip and the chin; drawn before the lips, which overlap it.
  const double chin = chin_y_ + jaw_drop_;
  const double room = std::max(1.0, chin - lower_lip_bottom);
  canvas_.softEllipse(Point2d(kFaceCentre, lower_lip_bottom + 0.6 * room), 7.5,
                      std::min(3.6, 0.3 * room), skin_, scaled(skin_, 1.05));
  // The lip pressor bunches the chin just below the lower lip.
  if (a24 > 0.05) {
    canvas_.softEllipse(Point2d(kFaceCentre, lower_lip_bottom + 2.4), mouth_.half_width * 0.45, 1.9,
                        skin_, blend(skin_, scaled(skin_, 1.12), a24));
  }
  // The fold between the lower lip and the chin.
  const double y = lower_lip_bottom + std::min(4.2 + 0.8 * a24, 0.35 * room);
  const double strength = 0.18 + 0.55 * a24 + 0.2 * au_[kAu15] + 0.2 * identity_.wrinkles;
  canvas_.polyline(bezier(Point2d(kFaceCentre - 6, y - 0.6), Point2d(kFaceCentre, y + 1.2),
                          Point2d(kFaceCentre + 6, y - 0.6), 7),
                   blend(skin_, scaled(skin_, 0.72), strength), 0.9);
}
}  // namespace au::synth
