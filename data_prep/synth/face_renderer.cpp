#include "synth/face_renderer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "common/error.h"

namespace au::synth {
namespace {

using P = cv::Point2d;

constexpr double kCanonical = 112.0;  // side of the canonical frame, in canonical units
constexpr double kCentre = 56.0;      // centre of the canonical frame and pivot of the pose
constexpr int kShift = 4;             // fixed-point bits for sub-pixel drawing
constexpr double kFixed = 1 << kShift;
constexpr double kJawDrop = 9.0;  // chin displacement at full AU26, canonical units

double clamp01(double v) { return std::min(1.0, std::max(0.0, v)); }
double lerp(double a, double b, double t) { return a + (b - a) * t; }
double smoothstep(double e0, double e1, double x) {
  const double t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}

cv::Scalar clampColour(const cv::Scalar& c) {
  return cv::Scalar(std::min(255.0, std::max(0.0, c[0])), std::min(255.0, std::max(0.0, c[1])),
                    std::min(255.0, std::max(0.0, c[2])));
}
cv::Scalar mul(const cv::Scalar& c, double f) { return clampColour(c * f); }
cv::Scalar mix(const cv::Scalar& a, const cv::Scalar& b, double t) {
  t = clamp01(t);
  return clampColour(a * (1 - t) + b * t);
}
cv::Scalar rgb(double r, double g, double b) { return cv::Scalar(b, g, r); }

// Canonical units -> output pixels: a similarity transform about the canonical centre.
class Mapper {
 public:
  Mapper(const FacePose& pose, double pixels_per_unit, P origin) {
    const double theta = pose.angle_deg * M_PI / 180.0;
    scale_ = pixels_per_unit * pose.scale;
    angle_deg_ = pose.angle_deg;
    a_ = scale_ * std::cos(theta);
    b_ = scale_ * std::sin(theta);
    t_ = origin + P(kCentre + pose.dx, kCentre + pose.dy) * pixels_per_unit;
  }
  P map(P p) const {
    const P d = p - P(kCentre, kCentre);
    return P(t_.x + a_ * d.x - b_ * d.y, t_.y + b_ * d.x + a_ * d.y);
  }
  P unmap(P q) const {
    const P d = q - t_;
    const double s2 = scale_ * scale_;
    return P(kCentre + (a_ * d.x + b_ * d.y) / s2, kCentre + (-b_ * d.x + a_ * d.y) / s2);
  }
  cv::Point fixed(P p) const {
    const P q = map(p);
    return cv::Point(static_cast<int>(std::lround(q.x * kFixed)),
                     static_cast<int>(std::lround(q.y * kFixed)));
  }
  int thickness(double canonical) const {
    return std::max(1, static_cast<int>(std::lround(canonical * scale_)));
  }
  double scale() const { return scale_; }
  double angleDeg() const { return angle_deg_; }
  // The same transform followed by a translation of the output.
  Mapper shifted(P offset) const {
    Mapper m = *this;
    m.t_ += offset;
    return m;
  }

 private:
  double scale_ = 1, angle_deg_ = 0, a_ = 1, b_ = 0;
  P t_;
};

// Anti-aliased drawing in canonical units.
class Canvas {
 public:
  Canvas(cv::Mat& img, const Mapper& m) : img_(img), m_(m) {}

  void fill(const std::vector<P>& poly, const cv::Scalar& colour) {
    const auto pts = toFixed(poly);
    const cv::Point* data[1] = {pts.data()};
    const int n = static_cast<int>(pts.size());
    cv::fillPoly(img_, data, &n, 1, colour, cv::LINE_AA, kShift);
  }
  void line(const std::vector<P>& poly, const cv::Scalar& colour, double thickness,
            bool closed = false) {
    const auto pts = toFixed(poly);
    const cv::Point* data[1] = {pts.data()};
    const int n = static_cast<int>(pts.size());
    cv::polylines(img_, data, &n, 1, closed, colour, m_.thickness(thickness), cv::LINE_AA, kShift);
  }
  // A filled (thickness < 0) or outlined ellipse rotated by angle_deg in canonical space.
  void ellipse(P centre, double ax, double ay, double angle_deg, const cv::Scalar& colour,
               double thickness = -1) {
    const double s = m_.scale() * kFixed;
    const cv::Size axes(std::max(1, static_cast<int>(std::lround(ax * s))),
                        std::max(1, static_cast<int>(std::lround(ay * s))));
    cv::ellipse(img_, m_.fixed(centre), axes, angle_deg + m_.angleDeg(), 0, 360, colour,
                thickness < 0 ? cv::FILLED : m_.thickness(thickness), cv::LINE_AA, kShift);
  }
  // A filled ellipse whose colour fades from `colour` at the centre to `edge` at the rim.
  void softEllipse(P centre, double ax, double ay, const cv::Scalar& edge,
                   const cv::Scalar& colour) {
    for (int i = 1; i <= 4; ++i) {
      const double f = 1.2 - 0.2 * i;
      ellipse(centre, ax * f, ay * f, 0, mix(edge, colour, 0.25 * i));
    }
  }
  // Draws `draw` on a copy of the polygon's bounding box and keeps it only inside the polygon
  // (anti-aliased mask): how the iris is clipped by the lids.
  template <typename Draw>
  void clipped(const std::vector<P>& poly, Draw draw) {
    const auto pts = toFixed(poly);
    cv::Rect box = cv::boundingRect(pts);
    box = cv::Rect(box.x / static_cast<int>(kFixed) - 2, box.y / static_cast<int>(kFixed) - 2,
                   box.width / static_cast<int>(kFixed) + 5,
                   box.height / static_cast<int>(kFixed) + 5);
    box &= cv::Rect(0, 0, img_.cols, img_.rows);
    if (box.area() <= 0) return;
    cv::Mat layer = img_(box).clone();
    draw(layer, m_.shifted(P(-box.x, -box.y)));
    cv::Mat mask = cv::Mat::zeros(box.size(), CV_8UC1);
    std::vector<cv::Point> local(pts.size());
    const cv::Point off(box.x * static_cast<int>(kFixed), box.y * static_cast<int>(kFixed));
    for (size_t i = 0; i < pts.size(); ++i) local[i] = pts[i] - off;
    const cv::Point* data[1] = {local.data()};
    const int n = static_cast<int>(local.size());
    cv::fillPoly(mask, data, &n, 1, cv::Scalar(255), cv::LINE_AA, kShift);
    for (int y = 0; y < box.height; ++y) {
      const uint8_t* mrow = mask.ptr<uint8_t>(y);
      cv::Vec3b* dst = img_.ptr<cv::Vec3b>(box.y + y) + box.x;
      const cv::Vec3b* src = layer.ptr<cv::Vec3b>(y);
      for (int x = 0; x < box.width; ++x) {
        const int a = mrow[x];
        if (a == 0) continue;
        for (int c = 0; c < 3; ++c)
          dst[x][c] = static_cast<uint8_t>((dst[x][c] * (255 - a) + src[x][c] * a + 127) / 255);
      }
    }
  }

 private:
  std::vector<cv::Point> toFixed(const std::vector<P>& poly) const {
    std::vector<cv::Point> pts(poly.size());
    for (size_t i = 0; i < poly.size(); ++i) pts[i] = m_.fixed(poly[i]);
    return pts;
  }
  cv::Mat& img_;
  const Mapper& m_;
};

std::vector<P> bezier(P a, P control, P b, int n) {
  std::vector<P> pts(n);
  for (int i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / (n - 1);
    pts[i] = a * ((1 - t) * (1 - t)) + control * (2 * t * (1 - t)) + b * (t * t);
  }
  return pts;
}

// All geometry of one face at one expression, in canonical units.
class FaceDrawer {
 public:
  FaceDrawer(const FaceIdentity& id, const AuIntensity& au, Canvas& canvas) : id_(id), c_(canvas) {
    for (int k = 0; k < kNumAus; ++k) a_[k] = clamp01(au[k]);
    skin_ = id.skin;
    chin_y_ = kCentre + id.face_bottom;
    joint_y_ = id.eye_y + 14;
    jaw_drop_ = kJawDrop * a_[kAu26];
  }

  void draw() {
    drawBody();
    drawFaceShape();
    drawCheeks();
    drawHairCap();
    drawForehead();
    for (int side : {-1, 1}) drawEye(side);
    for (int side : {-1, 1}) drawBrow(side);
    drawGlabella();
    drawNose();
    computeMouth();
    for (int side : {-1, 1}) drawFold(side);
    drawChin();
    drawMouth();
    if (id_.glasses) drawGlasses();
  }

 private:
  // The mandible rotates about the ear: points below the joint line move down in proportion to
  // their distance from it, and the jaw narrows slightly.
  double jawWeight(double y) const { return clamp01((y - joint_y_) / (chin_y_ - joint_y_)); }
  P jaw(P p) const {
    const double w = jawWeight(p.y);
    return P(kCentre + (p.x - kCentre) * (1 - 0.05 * a_[kAu26] * w), p.y + jaw_drop_ * w);
  }

  void drawBody() {
    const double fw = id_.face_half_width;
    c_.ellipse(P(kCentre, chin_y_ + 45), fw * 2.0, 32, 0, id_.shirt);
    c_.fill({{kCentre - fw * 0.62, chin_y_ - 18},
             {kCentre + fw * 0.62, chin_y_ - 18},
             {kCentre + fw * 0.7, chin_y_ + 30},
             {kCentre - fw * 0.7, chin_y_ + 30}},
            mul(skin_, 0.72));
    if (id_.hair_style == 1) {
      std::vector<P> back;
      for (int i = 0; i <= 16; ++i) {
        const double t = -M_PI * 0.55 + M_PI * 1.1 * i / 16;
        back.push_back(
            P(kCentre + (fw + 5) * std::sin(t), kCentre - (id_.face_top + 5) * std::cos(t)));
      }
      back.push_back(P(kCentre + fw + 8, chin_y_ + 12));
      back.push_back(P(kCentre - fw - 8, chin_y_ + 12));
      c_.fill(back, mul(id_.hair, 0.8));
    }
    for (int side : {-1, 1}) {
      const P ear(kCentre + side * (id_.face_half_width - 0.5), id_.eye_y + 9);
      c_.ellipse(ear, 4.2, 8.5, side * 8.0, mul(skin_, 0.9));
      c_.ellipse(ear + P(side * 0.8, 0.5), 2.0, 5.5, side * 8.0, mul(skin_, 0.75));
    }
  }

  void drawFaceShape() {
    const double fw = id_.face_half_width;
    const double n = id_.jaw_square;
    std::vector<P> contour;
    constexpr int kPoints = 56;
    for (int i = 0; i < kPoints; ++i) {
      const double t = 2 * M_PI * i / kPoints;
      const double s = std::sin(t), c = std::cos(t);
      if (c >= 0) {
        contour.push_back(P(kCentre + fw * s, kCentre - id_.face_top * c));
      } else {
        const double sx = (s < 0 ? -1 : 1) * std::pow(std::fabs(s), 2 / n);
        contour.push_back(
            jaw(P(kCentre + fw * sx, kCentre + id_.face_bottom * std::pow(-c, 2 / n))));
      }
    }
    c_.fill(contour, skin_);
  }

  void drawHairCap() {
    if (id_.hair_style == 2 && id_.hairline_y < 4) return;
    const double fw = id_.face_half_width;
    const double side_y = id_.eye_y - 6;
    const cv::Scalar colour = id_.hair_style == 2 ? mix(id_.hair, skin_, 0.5) : id_.hair;
    std::vector<P> cap;
    const double cos_s = std::min(1.0, (kCentre - side_y) / (id_.face_top + 3));
    const double theta_s = std::acos(cos_s);
    constexpr int kArc = 20;
    for (int i = 0; i <= kArc; ++i) {
      const double t = theta_s - 2 * theta_s * i / kArc;
      cap.push_back(
          P(kCentre + (fw + 2.5) * std::sin(t), kCentre - (id_.face_top + 3) * std::cos(t)));
    }
    constexpr int kLine = 16;
    for (int i = 0; i <= kLine; ++i) {
      const double u = -1 + 2.0 * i / kLine;
      double y = id_.hairline_y + (side_y - id_.hairline_y) * std::pow(std::fabs(u), 3);
      if (id_.hair_style == 3) y += 1.2 * std::sin(u * 11.0);
      cap.push_back(P(kCentre + u * (fw - 2), y));
    }
    c_.fill(cap, colour);
  }

  double browCentreY() const { return id_.eye_y - id_.brow_gap; }

  void drawForehead() {
    const double s1 = 0.85 * a_[kAu1] + 0.3 * id_.wrinkles;
    const double s2 = 0.85 * a_[kAu2] + 0.3 * id_.wrinkles;
    const double top_limit = id_.hairline_y + 2.5;
    for (int j = 0; j < 3; ++j) {
      const double y = browCentreY() - 7.5 - 4.0 * j - 1.5 * std::max(a_[kAu1], a_[kAu2]);
      if (y < top_limit) continue;
      if (s1 > 0.05) {
        std::vector<P> pts;
        for (int i = 0; i <= 8; ++i) {
          const double u = -1 + i / 4.0;
          pts.push_back(P(kCentre + 10 * u, y - 1.2 * (1 - u * u)));
        }
        c_.line(pts, mix(skin_, mul(skin_, 0.62), s1), 0.9);
      }
      if (s2 > 0.05) {
        for (int side : {-1, 1}) {
          std::vector<P> pts;
          for (int i = 0; i <= 6; ++i) {
            const double u = i / 6.0;
            pts.push_back(P(kCentre + side * (12 + 13 * u), y + 0.4 + 1.6 * u * u));
          }
          c_.line(pts, mix(skin_, mul(skin_, 0.62), s2), 0.9);
        }
      }
    }
  }

  void drawCheeks() {
    const cv::Scalar blush =
        clampColour(cv::Scalar(skin_[0] * 1.02 + 6, skin_[1] * 1.02 + 6, skin_[2] * 1.05 + 8));
    for (int side : {-1, 1}) {
      const P centre(kCentre + side * (id_.eye_separation + 1.5),
                     id_.eye_y + 15.5 - 4.5 * a_[kAu6] - 1.5 * a_[kAu12]);
      c_.softEllipse(centre, 7.5 + 0.8 * a_[kAu6], 4.8 + 0.6 * a_[kAu6], skin_,
                     mix(skin_, blush, 0.3 + 0.7 * a_[kAu6]));
      // The raised cheek's lower edge casts a soft shadow.
      const double s = 0.55 * a_[kAu6] + 0.2 * a_[kAu12];
      if (s > 0.05) {
        c_.line(bezier(centre + P(-6, 4.0), centre + P(0, 7.0), centre + P(6, 4.0), 7),
                mix(skin_, mul(skin_, 0.78), s), 1.0);
      }
    }
  }

  void drawEye(int side) {
    const double ew = id_.eye_half_width;
    const P centre(kCentre + side * id_.eye_separation, id_.eye_y);
    const P inner(centre.x - side * ew, centre.y + 0.5);
    const P outer(centre.x + side * ew, centre.y - 0.3);
    const double up = id_.eye_upper * (1 - 0.2 * a_[kAu7] - 0.12 * a_[kAu6] - 0.1 * a_[kAu4]);
    const double low = id_.eye_lower * (1 - 0.85 * a_[kAu7] - 0.5 * a_[kAu6]);
    const double raise = 1.0 * a_[kAu7] + 0.8 * a_[kAu6];
    constexpr int kN = 11;
    std::vector<P> upper(kN), lower(kN);
    for (int i = 0; i < kN; ++i) {
      const double t = static_cast<double>(i) / (kN - 1);
      const P base = inner + (outer - inner) * t;
      const double su = std::pow(std::sin(M_PI * std::pow(t, 0.85)), 0.75);
      const double sl = std::pow(std::sin(M_PI * std::pow(t, 1.1)), 0.9);
      upper[i] = P(base.x, base.y - up * su);
      lower[i] = P(base.x, std::max(upper[i].y + 0.5 * std::sin(M_PI * t),
                                    base.y + low * sl - raise * std::sin(M_PI * t)));
    }
    // Upper-lid socket shading and crease, following the current lid.
    c_.ellipse(P(centre.x + side * 0.3, centre.y - id_.eye_upper * 0.55), ew * 1.25,
               id_.eye_upper * 1.55 + 0.8, 0, mul(skin_, 0.91));
    std::vector<P> crease;
    for (int i = 1; i < kN - 1; ++i)
      crease.push_back(upper[i] + P(0, -1.7 - 0.4 * std::sin(M_PI * i / (kN - 1))));
    c_.line(crease, mul(skin_, 0.8), 0.8);

    std::vector<P> opening = upper;
    opening.insert(opening.end(), lower.rbegin(), lower.rend());
    const cv::Scalar white = mix(rgb(240, 238, 235), skin_, 0.12);
    const P iris_centre(centre.x, centre.y - 0.35);
    const double ir = id_.iris_radius;
    const cv::Scalar iris = id_.iris;
    c_.clipped(opening, [&](cv::Mat& layer, const Mapper& m) {
      Canvas lc(layer, m);
      lc.fill(opening, white);
      lc.ellipse(iris_centre, ir, ir, 0, iris);
      lc.ellipse(iris_centre, ir, ir, 0, mul(iris, 0.55), 0.5);
      lc.ellipse(iris_centre, ir * 0.42, ir * 0.42, 0, rgb(18, 16, 16));
      lc.ellipse(iris_centre + P(0.9, -0.9), 0.55, 0.55, 0, rgb(250, 250, 250));
      // The upper lid shades the top of the eyeball.
      std::vector<P> shade = upper;
      for (int i = kN - 1; i >= 0; --i) shade.push_back(upper[i] + P(0, 0.9));
      lc.fill(shade, mul(white, 0.7));
    });
    // Lash line (with a short outer flick) and the lower lid.
    std::vector<P> lash = upper;
    lash.push_back(outer + P(side * 1.0, -0.6));
    c_.line(lash, mix(id_.brow, rgb(10, 10, 10), 0.6), 1.1);
    c_.line(lower, mul(skin_, 0.74), 0.7);
    // Lid tightening bulges the lower lid; the raised cheek deepens the furrow below it.
    std::vector<P> furrow;
    for (int i = 2; i < kN - 1; ++i)
      furrow.push_back(lower[i] + P(side * 0.4, 2.4 + 0.6 * std::sin(M_PI * i / (kN - 1))));
    const double fs = 0.12 + 0.5 * a_[kAu6] + 0.35 * a_[kAu7] + 0.3 * id_.wrinkles;
    c_.line(furrow, mix(skin_, mul(skin_, 0.7), fs), 0.8);
    // Crow's feet at the outer corner.
    const double cs = 0.95 * a_[kAu6] + 0.25 * id_.wrinkles * a_[kAu12];
    if (cs > 0.05) {
      for (int k = -1; k <= 1; ++k) {
        const P start = outer + P(side * 1.6, 0.6 + 1.5 * k);
        c_.line({start, start + P(side * 4.5, 1.9 * k + 0.3)}, mix(skin_, mul(skin_, 0.55), cs),
                0.8);
      }
    }
  }

  void drawBrow(int side) {
    const double ew = id_.eye_half_width;
    const double b_in = id_.eye_separation - ew - 1.0;
    const double b_out = id_.eye_separation + ew + 2.5;
    constexpr int kN = 11;
    std::vector<P> top(kN), bottom(kN);
    for (int i = 0; i < kN; ++i) {
      const double t = static_cast<double>(i) / (kN - 1);
      const double x = kCentre + side * (b_in + (b_out - b_in) * t) -
                       side * 2.4 * a_[kAu4] * std::pow(1 - t, 1.2);
      const double y = browCentreY() - id_.brow_arch * std::sin(M_PI * (0.12 + 0.76 * t)) +
                       1.8 * t - 4.5 * a_[kAu1] * std::pow(1 - t, 2.0) -
                       4.2 * a_[kAu2] * std::pow(t, 1.7) + 3.2 * a_[kAu4] * (1 - 0.45 * t);
      double th = id_.brow_thickness * (1.1 - 0.5 * t);
      if (t < 0.1) th *= 0.7 + 3 * t;
      if (t > 0.8) th *= 1 - (t - 0.8) * 2.5;
      top[i] = P(x, y - th / 2);
      bottom[i] = P(x, y + th / 2);
    }
    std::vector<P> poly = top;
    poly.insert(poly.end(), bottom.rbegin(), bottom.rend());
    c_.fill(poly, id_.brow);
  }

  void drawGlabella() {
    const double s = 0.95 * a_[kAu4];
    if (s < 0.05) return;
    const double y0 = browCentreY() + 3.2 * a_[kAu4] - 3.5;
    const cv::Scalar colour = mix(skin_, mul(skin_, 0.5), s);
    for (int side : {-1, 1}) {
      c_.line(bezier(P(kCentre + side * 2.4, y0), P(kCentre + side * 1.6, y0 + 4),
                     P(kCentre + side * 2.2, y0 + 8), 5),
              colour, 0.9);
    }
    c_.line({P(kCentre - 2.5, id_.eye_y - 1.5), P(kCentre + 2.5, id_.eye_y - 1.5)},
            mix(skin_, mul(skin_, 0.7), 0.5 * s), 0.8);
  }

  void drawNose() {
    const double ny = id_.nose_y;
    const double nw = id_.nose_half_width;
    const double lift = 1.3 * a_[kAu10];
    for (int side : {-1, 1}) {
      c_.line(bezier(P(kCentre + side * 3.3, id_.eye_y + 1), P(kCentre + side * 3.8, ny - 9),
                     P(kCentre + side * 4.8, ny - 3), 6),
              mix(skin_, mul(skin_, 0.8), 0.35), 0.8);
    }
    c_.ellipse(P(kCentre, ny + 4.6 - lift), nw * 0.55, 1.1, 0, mul(skin_, 0.86));
    for (int side : {-1, 1}) {
      c_.ellipse(P(kCentre + side * (nw * 0.72 + 0.6 * a_[kAu10]), ny + 1.8 - lift),
                 nw * 0.36 + 0.5 * a_[kAu10], 2.6, side * -15.0, mul(skin_, 0.88));
    }
    c_.ellipse(P(kCentre, ny + 0.3 - 0.6 * a_[kAu10]), nw * 0.5, 3.4, 0, mul(skin_, 1.03));
    c_.ellipse(P(kCentre, ny - 0.9), 1.7, 1.1, 0, mul(skin_, 1.09));
    for (int side : {-1, 1}) {
      c_.ellipse(P(kCentre + side * nw * 0.37, ny + 3.3 - lift), 1.9 + 0.4 * a_[kAu10], 1.0,
                 side * 18.0, mul(skin_, 0.36));
    }
  }

  // Lip geometry as functions of s in [-1, 1] from one corner to the other.
  void computeMouth() {
    const double a10 = a_[kAu10], a12 = a_[kAu12], a15 = a_[kAu15], a23 = a_[kAu23],
                 a24 = a_[kAu24], a25 = a_[kAu25], a26 = a_[kAu26];
    mw_ =
        id_.mouth_half_width * (1 + 0.17 * a12 - 0.2 * a23 - 0.07 * a24 - 0.04 * a15 - 0.06 * a26);
    const double corner_dy = -0.5 - 4.2 * a12 + 3.6 * a15 + 0.3 * jaw_drop_;
    const double thin = std::max(0.15, 1 - 0.5 * a23 - 0.75 * a24 - 0.15 * a12);
    const double tu = id_.upper_lip * thin;
    const double tl = id_.lower_lip * thin;
    const double gap = 4.2 * a25;
    const double jdl = jaw_drop_ * jawWeight(id_.mouth_y);
    constexpr int kN = 21;
    xs_.resize(kN);
    ut_.resize(kN);
    ub_.resize(kN);
    lt_.resize(kN);
    lb_.resize(kN);
    for (int i = 0; i < kN; ++i) {
      const double s = -1 + 2.0 * i / (kN - 1);
      const double q = 1 - s * s;
      const double line = id_.mouth_y + corner_dy * s * s;
      const double bow = 1 + 0.2 * std::exp(-std::pow((std::fabs(s) - 0.25) / 0.12, 2)) -
                         0.12 * std::exp(-std::pow(s / 0.08, 2));
      xs_[i] = kCentre + mw_ * s;
      ub_[i] = line - 0.35 * gap * std::pow(q, 0.7) - a10 * 1.8 * std::pow(q, 0.6);
      ut_[i] = std::min(line - tu * bow * std::pow(q, 0.45) - a10 * 3.0 * (1 - 0.4 * s * s),
                        ub_[i] - 0.3 * q);
      lt_[i] = line + (0.65 * gap + jdl) * std::pow(q, 0.7);
      lb_[i] = lt_[i] + tl * std::pow(q, 0.55) + 0.8 * a15 * q;
    }
    opening_ = lt_[kN / 2] - ub_[kN / 2];
  }

  std::vector<P> curve(const std::vector<double>& ys, double clip = 1.0,
                       bool reverse = false) const {
    std::vector<P> pts;
    const int n = static_cast<int>(xs_.size());
    for (int k = 0; k < n; ++k) {
      const int i = reverse ? n - 1 - k : k;
      const double s = -1 + 2.0 * i / (n - 1);
      if (std::fabs(s) <= clip + 1e-9) pts.push_back(P(xs_[i], ys[i]));
    }
    return pts;
  }

  void drawFold(int side) {
    const double nw = id_.nose_half_width;
    const double a10 = a_[kAu10], a12 = a_[kAu12];
    const P start(kCentre + side * (nw * 0.95 + 0.6 + 0.6 * a10), id_.nose_y + 1.5 - 1.5 * a10);
    const P end(kCentre + side * (mw_ + 3.2 + 1.0 * a12),
                id_.mouth_y + 4.5 - 2.5 * a12 + 0.5 * jaw_drop_);
    // The fold bows outwards around the mouth, like a parenthesis.
    const P control(end.x + side * (1.0 + 0.8 * a12), start.y + 0.35 * (end.y - start.y));
    const double depth = std::min(1.0, id_.wrinkles + 0.55 * a10 + 0.6 * a12 + 0.15 * a_[kAu6]);
    if (depth < 0.05) return;
    const auto pts = bezier(start, control, end, 9);
    std::vector<P> bulge;
    for (const auto& p : pts) bulge.push_back(p + P(side * 1.2, -0.4));
    c_.line(bulge, mix(skin_, mul(skin_, 1.1), 0.6 * depth), 0.9);
    c_.line(pts, mix(skin_, mul(skin_, 0.7), depth), 0.9);
  }

  void drawMouth() {
    const double a23 = a_[kAu23], a24 = a_[kAu24];
    const cv::Scalar lips = mix(id_.lips, mul(skin_, 0.92), 0.35 * a23 + 0.45 * a24);
    const int n = static_cast<int>(xs_.size());
    if (opening_ > 0.25) {
      std::vector<P> interior = curve(ub_);
      const auto back = curve(lt_, 1.0, true);
      interior.insert(interior.end(), back.begin(), back.end());
      c_.fill(interior, rgb(70, 28, 32));
      // Lower teeth ride on the jaw, upper teeth on the skull; each stops at the other lip.
      std::vector<double> lower_edge(n), upper_edge(n);
      for (int i = 0; i < n; ++i) {
        const double s = -1 + 2.0 * i / (n - 1);
        const double qu = std::pow(clamp01(1 - std::pow(s / 0.78, 2)), 0.3);
        const double ql = std::pow(clamp01(1 - std::pow(s / 0.62, 2)), 0.3);
        upper_edge[i] = std::min(ub_[i] + 3.3 * qu, lt_[i]);
        lower_edge[i] = std::max(lt_[i] - 2.2 * ql, ub_[i]);
      }
      std::vector<P> lower_teeth = curve(lower_edge, 0.62);
      const auto lt_back = curve(lt_, 0.62, true);
      lower_teeth.insert(lower_teeth.end(), lt_back.begin(), lt_back.end());
      c_.fill(lower_teeth, rgb(200, 196, 186));
      std::vector<P> upper_teeth = curve(ub_, 0.78);
      const auto ut_back = curve(upper_edge, 0.78, true);
      upper_teeth.insert(upper_teeth.end(), ut_back.begin(), ut_back.end());
      c_.fill(upper_teeth, rgb(236, 232, 222));
    }
    std::vector<P> upper = curve(ut_);
    const auto ub_back = curve(ub_, 1.0, true);
    upper.insert(upper.end(), ub_back.begin(), ub_back.end());
    c_.fill(upper, mul(lips, 0.9));
    std::vector<P> lower = curve(lt_);
    const auto lb_back = curve(lb_, 1.0, true);
    lower.insert(lower.end(), lb_back.begin(), lb_back.end());
    c_.fill(lower, lips);
    const int mid = n / 2;
    c_.ellipse(P(kCentre, lerp(lt_[mid], lb_[mid], 0.4)), mw_ * 0.25,
               std::max(0.3, (lb_[mid] - lt_[mid]) * 0.18), 0, mix(lips, rgb(255, 240, 240), 0.1));
    // The line where the lips meet; pressing makes it darker and longer.
    if (opening_ < 1.2) {
      std::vector<double> mid_line(n);
      for (int i = 0; i < n; ++i) mid_line[i] = 0.5 * (ub_[i] + lt_[i]);
      auto pts = curve(mid_line);
      pts.front().x -= 0.6 + 1.2 * a24;
      pts.back().x += 0.6 + 1.2 * a24;
      c_.line(pts, mix(mul(lips, 0.45), rgb(40, 20, 20), 0.6 * a24), 0.8 + 0.5 * a24);
    }
    // Tightened lips: small vertical creases above the upper lip.
    if (a23 > 0.05) {
      for (double x : {-7.0, -3.2, 3.2, 7.0}) {
        const int i = std::min(
            n - 1, std::max(0, static_cast<int>(std::lround((x / mw_ + 1) * (n - 1) / 2))));
        const double y = ut_[i] - 0.8;
        c_.line({P(kCentre + x, y), P(kCentre + x * 1.08, y - 3.2)},
                mix(skin_, mul(skin_, 0.65), 0.8 * a23), 0.7);
      }
    }
    // Depressed corners: lines running down from the corners.
    const double a15 = a_[kAu15];
    if (a15 > 0.05) {
      for (int side : {-1, 1}) {
        const P corner(side < 0 ? xs_.front() : xs_.back(), ub_.front());
        c_.line(bezier(corner + P(side * 0.8, 1.2), corner + P(side * 2.2, 4),
                       corner + P(side * 1.8, 8.5), 5),
                mix(skin_, mul(skin_, 0.6), 0.8 * a15), 0.9);
      }
    }
    // Smile: the corners dimple inwards.
    const double a12 = a_[kAu12];
    if (a12 > 0.05) {
      for (int side : {-1, 1}) {
        const P corner(side < 0 ? xs_.front() : xs_.back(), ub_.front());
        c_.line(bezier(corner + P(side * 0.6, -2.0), corner + P(side * 1.8, 0),
                       corner + P(side * 0.8, 2.2), 5),
                mix(skin_, mul(skin_, 0.7), 0.7 * a12), 0.8);
      }
    }
  }

  void drawChin() {
    const int mid = static_cast<int>(lb_.size()) / 2;
    const double a24 = a_[kAu24];
    // Chin boss between the lower lip and the chin; drawn before the lips, which overlap it.
    const double chin = chin_y_ + jaw_drop_;
    const double room = std::max(1.0, chin - lb_[mid]);
    c_.softEllipse(P(kCentre, lb_[mid] + 0.6 * room), 7.5, std::min(3.6, 0.3 * room), skin_,
                   mul(skin_, 1.05));
    if (a24 > 0.05) {
      c_.softEllipse(P(kCentre, lb_[mid] + 2.4), mw_ * 0.45, 1.9, skin_,
                     mix(skin_, mul(skin_, 1.12), a24));
    }
    const double y = lb_[mid] + std::min(4.2 + 0.8 * a24, 0.35 * room);
    const double s = 0.18 + 0.55 * a24 + 0.2 * a_[kAu15] + 0.2 * id_.wrinkles;
    c_.line(bezier(P(kCentre - 6, y - 0.6), P(kCentre, y + 1.2), P(kCentre + 6, y - 0.6), 7),
            mix(skin_, mul(skin_, 0.72), s), 0.9);
  }

  void drawGlasses() {
    const double ew = id_.eye_half_width;
    const cv::Scalar colour = id_.glasses_colour;
    for (int side : {-1, 1}) {
      const P centre(kCentre + side * id_.eye_separation, id_.eye_y - 0.3);
      c_.ellipse(centre, ew + 3.8, 5.8, 0, colour, 1.0);
      c_.line({P(centre.x + side * (ew + 3.8), id_.eye_y - 1.2),
               P(kCentre + side * (id_.face_half_width + 0.5), id_.eye_y - 0.6)},
              colour, 1.0);
    }
    const double in = id_.eye_separation - ew - 3.8;
    c_.line(bezier(P(kCentre - in, id_.eye_y - 1.5), P(kCentre, id_.eye_y - 4.0),
                   P(kCentre + in, id_.eye_y - 1.5), 5),
            colour, 1.0);
  }

  const FaceIdentity& id_;
  Canvas& c_;
  std::array<double, kNumAus> a_{};
  cv::Scalar skin_;
  double chin_y_ = 0, joint_y_ = 0, jaw_drop_ = 0;
  double mw_ = 0, opening_ = 0;
  std::vector<double> xs_, ut_, ub_, lt_, lb_;
};

void drawBackground(cv::Mat& img, const FaceIdentity& id) {
  const int w = img.cols, h = img.rows;
  au::Rng rng(id.background_seed);
  if (id.background_kind == 0) {
    for (int y = 0; y < h; ++y)
      img.row(y).setTo(mix(id.background_a, id.background_b, static_cast<double>(y) / h));
    return;
  }
  img.setTo(id.background_a);
  if (id.background_kind == 1) {
    // Wall with a door frame or shelf: a few axis-aligned bands.
    for (int i = 0; i < 3; ++i) {
      const cv::Scalar colour = mix(id.background_a, id.background_b, rng.uniform(0.4, 1.0));
      if (rng.bernoulli(0.5)) {
        const int x0 = static_cast<int>(rng.uniform(0, 0.9) * w);
        const int bw = static_cast<int>(rng.uniform(0.05, 0.25) * w) + 1;
        cv::rectangle(img, cv::Rect(x0, 0, bw, h), colour, cv::FILLED);
      } else {
        const int y0 = static_cast<int>(rng.uniform(0, 0.9) * h);
        const int bh = static_cast<int>(rng.uniform(0.05, 0.3) * h) + 1;
        cv::rectangle(img, cv::Rect(0, y0, w, bh), colour, cv::FILLED);
      }
    }
    return;
  }
  for (int i = 0; i < 4; ++i) {
    const cv::Point centre(static_cast<int>(rng.uniform() * w * kFixed),
                           static_cast<int>(rng.uniform() * h * kFixed));
    const int radius = static_cast<int>(rng.uniform(0.15, 0.45) * std::max(w, h) * kFixed);
    cv::circle(img, centre, radius, mix(id.background_a, id.background_b, rng.uniform(0.3, 1.0)),
               cv::FILLED, cv::LINE_AA, kShift);
  }
}

struct ShadedFace {
  const FaceIdentity* identity;
  Mapper mapper;
  double jaw_drop;
};

// Darkening towards the rim of the face, so that it reads as round: 1 at the centre, 0.84 at
// the contour (an ellipse above the centre, the jaw's superellipse below, stretched by the
// jaw drop), 1 outside.
double faceShade(const ShadedFace& f, P pixel) {
  const P u = f.mapper.unmap(pixel);
  const FaceIdentity& id = *f.identity;
  const double dx = std::fabs(u.x - kCentre) / id.face_half_width;
  double r2;
  if (u.y < kCentre) {
    const double dy = (kCentre - u.y) / id.face_top;
    r2 = dx * dx + dy * dy;
  } else {
    const double dy = (u.y - kCentre) / (id.face_bottom + f.jaw_drop);
    // The superellipse norm lies between the Euclidean and the max norm; interpolating between
    // them avoids a pow() per pixel.
    const double l2 = std::sqrt(dx * dx + dy * dy);
    const double r = l2 + (std::max(dx, dy) - l2) * 0.37 * (id.jaw_square - 2.0);
    r2 = r * r;
  }
  // Past the contour the darkening fades out over a short ring (a soft contact shadow), so that
  // the anti-aliased rim, where the approximation is off by a pixel, is never left bright.
  return r2 < 1.0 ? 1 - 0.16 * smoothstep(0.3, 1.0, r2) : 0.84 + 0.16 * smoothstep(1.0, 1.3, r2);
}

// One standard normal from the 64 bits of one draw: the sum of four 16-bit uniforms, rescaled
// (Irwin-Hall). Much cheaper than Box-Muller per pixel and plenty for camera noise.
float fastNormal(au::Rng& rng) {
  const uint64_t v = rng.next();
  const uint64_t sum = (v & 0xFFFF) + ((v >> 16) & 0xFFFF) + ((v >> 32) & 0xFFFF) + (v >> 48);
  return (static_cast<float>(sum) * (1.0f / 65536.0f) - 2.0f) * 1.7320508f;
}

// Lighting gradient and face-roundness shading multiplied in, white balance, an occasional
// mild blur, then Gaussian noise; every random choice comes from au::Rng(noise_seed).
void finishImage(cv::Mat& img, const FaceIdentity& light, const std::vector<ShadedFace>& faces,
                 uint64_t noise_seed) {
  au::Rng rng(noise_seed);
  const bool blur = rng.bernoulli(0.35);
  const double blur_sigma = rng.uniform(0.3, 0.8);
  const double noise_sigma = rng.uniform(1.5, 4.5);
  if (blur) cv::GaussianBlur(img, img, cv::Size(0, 0), blur_sigma);

  const double half = std::min(img.cols, img.rows) / 2.0;
  const double lx = std::cos(light.light_angle) * light.light_strength / half;
  const double ly = std::sin(light.light_angle) * light.light_strength / half;
  std::vector<float> row_gain(img.cols);
  std::vector<float> row_noise(3 * img.cols);
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      double g = light.exposure * (1 + lx * (x - img.cols / 2.0) + ly * (y - img.rows / 2.0));
      for (const auto& f : faces) g *= faceShade(f, P(x, y));
      row_gain[x] = static_cast<float>(g);
    }
    cv::Vec3b* row = img.ptr<cv::Vec3b>(y);
    const float sigma = static_cast<float>(noise_sigma);
    const float wb[3] = {static_cast<float>(light.white_balance_b), 1.0f,
                         static_cast<float>(light.white_balance_r)};
    // Noise first, into floats: byte stores in the same loop would make the compiler reload
    // the generator state after each one.
    for (float& n : row_noise) n = sigma * fastNormal(rng) + 0.5f;
    for (int x = 0; x < img.cols; ++x) {
      for (int c = 0; c < 3; ++c) {
        const float v = row[x][c] * row_gain[x] * wb[c] + row_noise[3 * x + c];
        row[x][c] = static_cast<uint8_t>(std::min(255.0f, std::max(0.0f, v)));
      }
    }
  }
}

cv::Scalar jitter(au::Rng& rng, const cv::Scalar& c, double amount) {
  return clampColour(cv::Scalar(c[0] * rng.uniform(1 - amount, 1 + amount),
                                c[1] * rng.uniform(1 - amount, 1 + amount),
                                c[2] * rng.uniform(1 - amount, 1 + amount)));
}

}  // namespace

FaceIdentity sampleIdentity(au::Rng& rng) {
  // Skin tones from very light to very dark (RGB), interpolated between neighbours.
  static const std::array<cv::Scalar, 7> kSkin = {
      rgb(250, 222, 198), rgb(238, 194, 166), rgb(222, 170, 136), rgb(196, 140, 104),
      rgb(164, 110, 80),  rgb(122, 82, 60),   rgb(88, 58, 44)};
  static const std::array<cv::Scalar, 7> kHair = {
      rgb(24, 20, 20),  rgb(58, 40, 30),    rgb(105, 72, 48),  rgb(196, 164, 108),
      rgb(150, 70, 40), rgb(150, 148, 145), rgb(205, 202, 198)};
  static const std::array<cv::Scalar, 6> kIris = {rgb(70, 45, 28),   rgb(42, 28, 18),
                                                  rgb(110, 85, 45),  rgb(80, 110, 70),
                                                  rgb(75, 115, 165), rgb(110, 120, 130)};
  FaceIdentity id;
  // Weights lean towards the middle tones, with both ends well represented.
  static const std::array<double, 7> kSkinWeight = {0.16, 0.18, 0.18, 0.16, 0.13, 0.11, 0.08};
  int tone = 0;
  for (double u = rng.uniform(); tone < 6 && u >= kSkinWeight[tone]; ++tone) u -= kSkinWeight[tone];
  const int next = std::min<int>(kSkin.size() - 1, tone + 1);
  id.skin = jitter(rng, mix(kSkin[tone], kSkin[next], rng.uniform(0, 0.5)), 0.03);
  const bool dark = tone >= 4;
  int hair = dark ? static_cast<int>(rng.below(2)) : static_cast<int>(rng.below(kHair.size()));
  if (!dark && rng.bernoulli(0.35)) hair = static_cast<int>(rng.below(2));
  id.hair = jitter(rng, kHair[hair], 0.08);
  id.brow = hair >= 3 ? mix(id.hair, rgb(70, 55, 45), 0.5) : mul(id.hair, 0.85);
  id.iris = dark ? kIris[rng.below(2)] : kIris[rng.below(kIris.size())];
  const cv::Scalar s = id.skin;
  id.lips =
      jitter(rng, clampColour(cv::Scalar(s[0] * 0.7 + 6, s[1] * 0.62, s[2] * 0.9 + 10)), 0.05);
  id.shirt = rgb(rng.uniform(20, 235), rng.uniform(20, 235), rng.uniform(20, 235));
  id.glasses_colour = rng.bernoulli(0.6) ? rgb(30, 28, 28) : rgb(170, 170, 175);
  id.background_a = rgb(rng.uniform(30, 230), rng.uniform(30, 230), rng.uniform(30, 230));
  id.background_b =
      mix(id.background_a, rgb(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)),
          rng.uniform(0.3, 0.8));
  id.background_kind = static_cast<int>(rng.below(3));
  id.background_seed = rng.next();

  id.face_half_width = rng.uniform(34.5, 40.5);
  id.face_top = rng.uniform(47, 53);
  id.face_bottom = rng.uniform(45, 50);
  id.jaw_square = rng.uniform(2.0, 2.9);
  id.eye_y = rng.uniform(48.5, 52);
  id.eye_separation = rng.uniform(16.5, 18.8);
  id.eye_half_width = rng.uniform(6.0, 7.4);
  id.eye_upper = rng.uniform(3.4, 4.4);
  id.eye_lower = rng.uniform(2.1, 2.9);
  id.iris_radius = std::min(rng.uniform(3.1, 3.7), 0.6 * (id.eye_upper + id.eye_lower));
  id.brow_gap = rng.uniform(8.5, 11);
  id.brow_thickness = rng.uniform(1.8, 3.6);
  id.brow_arch = rng.uniform(1.0, 2.6);
  id.nose_y = rng.uniform(70, 74);
  id.nose_half_width = rng.uniform(6.8, 9.5);
  id.mouth_y = std::min(id.nose_y + rng.uniform(18.5, 21.5), kCentre + id.face_bottom - 12);
  id.mouth_half_width = rng.uniform(12.5, 16);
  id.upper_lip = rng.uniform(2.3, 3.8);
  id.lower_lip = rng.uniform(3.0, 5.0);
  const double age = rng.uniform();
  id.wrinkles = 0.35 * age * age;

  const double style = rng.uniform();
  id.hair_style = style < 0.4 ? 0 : style < 0.7 ? 1 : style < 0.82 ? 2 : 3;
  id.hairline_y =
      id.hair_style == 3 ? id.eye_y - id.brow_gap - rng.uniform(10, 13) : rng.uniform(9, 20);
  id.glasses = rng.bernoulli(0.12);

  id.light_angle = rng.uniform(0, 2 * M_PI);
  id.light_strength = rng.uniform(0, 0.3);
  id.exposure = rng.uniform(0.85, 1.1);
  id.white_balance_b = rng.uniform(0.92, 1.08);
  id.white_balance_r = rng.uniform(0.92, 1.08);
  return id;
}

FacePose samplePose(au::Rng& rng, const FacePose& previous) {
  // AR(1) with coefficient 0.98: stationary spread ~5x the per-frame step, clamped to the limits.
  constexpr double kKeep = 0.98;
  auto step = [&](double value, double centre, double sigma, double limit) {
    const double v = centre + kKeep * (value - centre) + sigma * rng.normal();
    return std::min(centre + limit, std::max(centre - limit, v));
  };
  FacePose p;
  p.dx = step(previous.dx, 0, 0.2, 3);
  p.dy = step(previous.dy, 0, 0.2, 3);
  p.scale = step(previous.scale, 1, 0.004, 0.06);
  p.angle_deg = step(previous.angle_deg, 0, 0.4, 6);
  return p;
}

cv::Mat renderFace(const FaceIdentity& identity, const FacePose& pose, const AuIntensity& au,
                   uint64_t noise_seed, int size) {
  AU_CHECK(size >= 16, "face size ", size, " too small");
  cv::Mat img(size, size, CV_8UC3);
  drawBackground(img, identity);
  const Mapper mapper(pose, size / kCanonical, P(0, 0));
  Canvas canvas(img, mapper);
  FaceDrawer(identity, au, canvas).draw();
  finishImage(img, identity, {ShadedFace{&identity, mapper, kJawDrop * clamp01(au[kAu26])}},
              noise_seed);
  return img;
}

cv::Rect sceneFaceRect(int index, int count, int width, int height) {
  AU_CHECK(count >= 1 && index >= 0 && index < count, "face ", index, " of ", count);
  const int side =
      count == 1 ? static_cast<int>(std::lround(0.62 * height))
                 : static_cast<int>(std::lround(std::min(0.8 * width / count, 0.56 * height)));
  const double cx = width * (index + 0.5) / count;
  const double cy = height * 0.46;
  return cv::Rect(static_cast<int>(std::lround(cx - side / 2.0)),
                  static_cast<int>(std::lround(cy - side / 2.0)), side, side);
}

cv::Mat renderScene(const std::vector<SceneFace>& faces, uint64_t noise_seed, int width,
                    int height) {
  AU_CHECK(!faces.empty() && faces.size() <= 4, "renderScene takes 1..4 faces, got ", faces.size());
  AU_CHECK(width >= 32 && height >= 32, "scene size ", width, "x", height);
  cv::Mat img(height, width, CV_8UC3);
  drawBackground(img, faces.front().identity);
  std::vector<ShadedFace> shaded;
  const int count = static_cast<int>(faces.size());
  for (int i = 0; i < count; ++i) {
    const cv::Rect rect = sceneFaceRect(i, count, width, height);
    const Mapper mapper(faces[i].pose, rect.width / kCanonical, P(rect.x, rect.y));
    Canvas canvas(img, mapper);
    FaceDrawer(faces[i].identity, faces[i].au, canvas).draw();
    shaded.push_back(
        ShadedFace{&faces[i].identity, mapper, kJawDrop * clamp01(faces[i].au[kAu26])});
  }
  finishImage(img, faces.front().identity, shaded, noise_seed);
  return img;
}

}  // namespace au::synth
