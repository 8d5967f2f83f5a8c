#include "synth/face_drawer.h"

#include <algorithm>
#include <cmath>

#include "synth/colour_math.h"

namespace au::synth {
namespace {

constexpr double kMaxJawDrop = 9.0;  // chin displacement at full AU26, canonical units

}  // namespace

double jawDrop(const AuIntensity& au) { return kMaxJawDrop * clamp01(au[kAu26]); }

FaceDrawer::FaceDrawer(const FaceIdentity& identity, const AuIntensity& au, FaceCanvas& canvas)
    : identity_(identity), canvas_(canvas) {
  for (int k = 0; k < kNumAus; ++k) au_[k] = clamp01(au[k]);
  skin_ = identity.skin;
  chin_y_ = kFaceCentre + identity.face_bottom;
  jaw_joint_y_ = identity.eye_y + 14;
  jaw_drop_ = jawDrop(au);
}

void FaceDrawer::draw() {
  drawBody();
  drawFaceShape();
  drawCheeks();
  drawHairCap();
  drawForehead();
  for (int side : {-1, 1}) drawEye(side);
  for (int side : {-1, 1}) drawBrow(side);
  drawGlabella();
  drawNose();
  mouth_ = shapeMouth(identity_, au_, jaw_drop_, jaw_drop_ * jawWeight(identity_.mouth_y));
  for (int side : {-1, 1}) drawFold(side);
  drawChin();
  drawMouth();
  if (identity_.glasses) drawGlasses();
}

double FaceDrawer::jawWeight(double y) const {
  return clamp01((y - jaw_joint_y_) / (chin_y_ - jaw_joint_y_));
}

Point2d FaceDrawer::withJawDropped(Point2d point) const {
  const double weight = jawWeight(point.y);
  return Point2d(kFaceCentre + (point.x - kFaceCentre) * (1 - 0.05 * au_[kAu26] * weight),
                 point.y + jaw_drop_ * weight);
}

double FaceDrawer::browCentreY() const { return identity_.eye_y - identity_.brow_gap; }

void FaceDrawer::drawBody() {
  const double half_width = identity_.face_half_width;
  canvas_.ellipse(Point2d(kFaceCentre, chin_y_ + 45), half_width * 2.0, 32, 0, identity_.shirt);
  canvas_.fillPolygon({{kFaceCentre - half_width * 0.62, chin_y_ - 18},
                       {kFaceCentre + half_width * 0.62, chin_y_ - 18},
                       {kFaceCentre + half_width * 0.7, chin_y_ + 30},
                       {kFaceCentre - half_width * 0.7, chin_y_ + 30}},
                      scaled(skin_, 0.72));
  if (identity_.hair_style == 1) {
    // Long hair falls behind the head down to the shoulders.
    std::vector<Point2d> back;
    for (int i = 0; i <= 16; ++i) {
      const double t = -M_PI * 0.55 + M_PI * 1.1 * i / 16;
      back.push_back(Point2d(kFaceCentre + (half_width + 5) * std::sin(t),
                             kFaceCentre - (identity_.face_top + 5) * std::cos(t)));
    }
    back.push_back(Point2d(kFaceCentre + half_width + 8, chin_y_ + 12));
    back.push_back(Point2d(kFaceCentre - half_width - 8, chin_y_ + 12));
    canvas_.fillPolygon(back, scaled(identity_.hair, 0.8));
  }
  for (int side : {-1, 1}) {
    const Point2d ear(kFaceCentre + side * (identity_.face_half_width - 0.5), identity_.eye_y + 9);
    canvas_.ellipse(ear, 4.2, 8.5, side * 8.0, scaled(skin_, 0.9));
    canvas_.ellipse(ear + Point2d(side * 0.8, 0.5), 2.0, 5.5, side * 8.0, scaled(skin_, 0.75));
  }
}

void FaceDrawer::drawFaceShape() {
  const double half_width = identity_.face_half_width;
  const double exponent = identity_.jaw_square;
  // An ellipse above the centre line, the jaw's superellipse below it.
  std::vector<Point2d> contour;
  constexpr int kPoints = 56;
  for (int i = 0; i < kPoints; ++i) {
    const double t = 2 * M_PI * i / kPoints;
    const double sin_t = std::sin(t), cos_t = std::cos(t);
    if (cos_t >= 0) {
      contour.push_back(
          Point2d(kFaceCentre + half_width * sin_t, kFaceCentre - identity_.face_top * cos_t));
    } else {
      const double superellipse_x = (sin_t < 0 ? -1 : 1) * std::pow(std::fabs(sin_t), 2 / exponent);
      contour.push_back(withJawDropped(
          Point2d(kFaceCentre + half_width * superellipse_x,
                  kFaceCentre + identity_.face_bottom * std::pow(-cos_t, 2 / exponent))));
    }
  }
  canvas_.fillPolygon(contour, skin_);
}

void FaceDrawer::drawHairCap() {
  if (identity_.hair_style == 2 && identity_.hairline_y < 4) return;
  const double half_width = identity_.face_half_width;
  const double side_y = identity_.eye_y - 6;  // where the hair meets the temples
  const cv::Scalar colour =
      identity_.hair_style == 2 ? blend(identity_.hair, skin_, 0.5) : identity_.hair;
  // An arc over the skull from temple to temple, then the hairline back across the forehead.
  std::vector<Point2d> cap;
  const double cos_side = std::min(1.0, (kFaceCentre - side_y) / (identity_.face_top + 3));
  const double theta_side = std::acos(cos_side);
  constexpr int kArcSteps = 20;
  for (int i = 0; i <= kArcSteps; ++i) {
    const double t = theta_side - 2 * theta_side * i / kArcSteps;
    cap.push_back(Point2d(kFaceCentre + (half_width + 2.5) * std::sin(t),
                          kFaceCentre - (identity_.face_top + 3) * std::cos(t)));
  }
  constexpr int kHairlineSteps = 16;
  for (int i = 0; i <= kHairlineSteps; ++i) {
    const double u = -1 + 2.0 * i / kHairlineSteps;
    double y = identity_.hairline_y + (side_y - identity_.hairline_y) * std::pow(std::fabs(u), 3);
    if (identity_.hair_style == 3) y += 1.2 * std::sin(u * 11.0);  // a fringe's ragged edge
    cap.push_back(Point2d(kFaceCentre + u * (half_width - 2), y));
  }
  canvas_.fillPolygon(cap, colour);
}

void FaceDrawer::drawCheeks() {
  const cv::Scalar blush =
      clampColour(cv::Scalar(skin_[0] * 1.02 + 6, skin_[1] * 1.02 + 6, skin_[2] * 1.05 + 8));
  for (int side : {-1, 1}) {
    const Point2d centre(kFaceCentre + side * (identity_.eye_separation + 1.5),
                         identity_.eye_y + 15.5 - 4.5 * au_[kAu6] - 1.5 * au_[kAu12]);
    canvas_.softEllipse(centre, 7.5 + 0.8 * au_[kAu6], 4.8 + 0.6 * au_[kAu6], skin_,
                        blend(skin_, blush, 0.3 + 0.7 * au_[kAu6]));
    // The raised cheek's lower edge casts a soft shadow.
    const double shadow = 0.55 * au_[kAu6] + 0.2 * au_[kAu12];
    if (shadow > 0.05) {
      canvas_.polyline(
          bezier(centre + Point2d(-6, 4.0), centre + Point2d(0, 7.0), centre + Point2d(6, 4.0), 7),
          blend(skin_, scaled(skin_, 0.78), shadow), 1.0);
    }
  }
}
void FaceDrawer::drawNose() {
  const double tip_y = identity_.nose_y;
  const double half_width = identity_.nose_half_width;
  const double lift = 1.3 * au_[kAu10];  // the upper lip raiser pulls the nostrils up
  for (int side : {-1, 1}) {
    canvas_.polyline(bezier(Point2d(kFaceCentre + side * 3.3, identity_.eye_y + 1),
                            Point2d(kFaceCentre + side * 3.8, tip_y - 9),
                            Point2d(kFaceCentre + side * 4.8, tip_y - 3), 6),
                     blend(skin_, scaled(skin_, 0.8), 0.35), 0.8);
  }
  canvas_.ellipse(Point2d(kFaceCentre, tip_y + 4.6 - lift), half_width * 0.55, 1.1, 0,
                  scaled(skin_, 0.86));
  for (int side : {-1, 1}) {
    canvas_.ellipse(
        Point2d(kFaceCentre + side * (half_width * 0.72 + 0.6 * au_[kAu10]), tip_y + 1.8 - lift),
        half_width * 0.36 + 0.5 * au_[kAu10], 2.6, side * -15.0, scaled(skin_, 0.88));
  }
  canvas_.ellipse(Point2d(kFaceCentre, tip_y + 0.3 - 0.6 * au_[kAu10]), half_width * 0.5, 3.4, 0,
                  scaled(skin_, 1.03));
  canvas_.ellipse(Point2d(kFaceCentre, tip_y - 0.9), 1.7, 1.1, 0, scaled(skin_, 1.09));
  for (int side : {-1, 1}) {
    canvas_.ellipse(Point2d(kFaceCentre + side * half_width * 0.37, tip_y + 3.3 - lift),
                    1.9 + 0.4 * au_[kAu10], 1.0, side * 18.0, scaled(skin_, 0.36));
  }
}
void FaceDrawer::drawGlasses() {
  const double eye_half_width = identity_.eye_half_width;
  const cv::Scalar colour = identity_.glasses_colour;
  for (int side : {-1, 1}) {
    const Point2d centre(kFaceCentre + side * identity_.eye_separation, identity_.eye_y - 0.3);
    canvas_.ellipse(centre, eye_half_width + 3.8, 5.8, 0, colour, 1.0);
    // Temple arm to the side of the head.
    canvas_.polyline(
        {Point2d(centre.x + side * (eye_half_width + 3.8), identity_.eye_y - 1.2),
         Point2d(kFaceCentre + side * (identity_.face_half_width + 0.5), identity_.eye_y - 0.6)},
        colour, 1.0);
  }
  // Bridge over the nose.
  const double inner_rim = identity_.eye_separation - eye_half_width - 3.8;
  canvas_.polyline(bezier(Point2d(kFaceCentre - inner_rim, identity_.eye_y - 1.5),
                          Point2d(kFaceCentre, identity_.eye_y - 4.0),
                          Point2d(kFaceCentre + inner_rim, identity_.eye_y - 1.5), 5),
                   colour, 1.0);
}

}  // namespace au::synth
