#include "synth/mouth_shape.h"

#include <algorithm>
#include <cmath>

namespace au::synth {

std::vector<Point2d> MouthShape::outline(const std::vector<double>& ys, double clip,
                                         bool reverse) const {
  std::vector<Point2d> points;
  const int count = static_cast<int>(x.size());
  for (int k = 0; k < count; ++k) {
    const int i = reverse ? count - 1 - k : k;
    const double s = -1 + 2.0 * i / (count - 1);
    if (std::fabs(s) <= clip + 1e-9) points.push_back(Point2d(x[i], ys[i]));
  }
  return points;
}

std::vector<Point2d> MouthShape::band(const std::vector<double>& top,
                                      const std::vector<double>& bottom, double clip) const {
  std::vector<Point2d> polygon = outline(top, clip);
  const std::vector<Point2d> back = outline(bottom, clip, true);
  polygon.insert(polygon.end(), back.begin(), back.end());
  return polygon;
}

MouthShape shapeMouth(const FaceIdentity& identity, const ClampedAus& au, double jaw_drop,
                      double lip_jaw_drop) {
  const double a10 = au[kAu10], a12 = au[kAu12], a15 = au[kAu15], a23 = au[kAu23], a24 = au[kAu24],
               a25 = au[kAu25], a26 = au[kAu26];
  MouthShape mouth;
  mouth.half_width = identity.mouth_half_width *
                     (1 + 0.17 * a12 - 0.2 * a23 - 0.07 * a24 - 0.04 * a15 - 0.06 * a26);
  const double corner_dy = -0.5 - 4.2 * a12 + 3.6 * a15 + 0.3 * jaw_drop;
  const double thinning = std::max(0.15, 1 - 0.5 * a23 - 0.75 * a24 - 0.15 * a12);
  const double upper_height = identity.upper_lip * thinning;
  const double lower_height = identity.lower_lip * thinning;
  const double gap = 4.2 * a25;
  constexpr int kSamples = 21;
  mouth.x.resize(kSamples);
  mouth.upper_top.resize(kSamples);
  mouth.upper_bottom.resize(kSamples);
  mouth.lower_top.resize(kSamples);
  mouth.lower_bottom.resize(kSamples);
  for (int i = 0; i < kSamples; ++i) {
    const double s = -1 + 2.0 * i / (kSamples - 1);
    const double q = 1 - s * s;  // 1 at the centre, 0 at the corners
    const double line = identity.mouth_y + corner_dy * s * s;
    // Cupid's bow: the upper lip is taller either side of the centre, with a dip at the centre.
    const double bow = 1 + 0.2 * std::exp(-std::pow((std::fabs(s) - 0.25) / 0.12, 2)) -
                       0.12 * std::exp(-std::pow(s / 0.08, 2));
    mouth.x[i] = kFaceCentre + mouth.half_width * s;
    mouth.upper_bottom[i] = line - 0.35 * gap * std::pow(q, 0.7) - a10 * 1.8 * std::pow(q, 0.6);
    mouth.upper_top[i] =
        std::min(line - upper_height * bow * std::pow(q, 0.45) - a10 * 3.0 * (1 - 0.4 * s * s),
                 mouth.upper_bottom[i] - 0.3 * q);
    mouth.lower_top[i] = line + (0.65 * gap + lip_jaw_drop) * std::pow(q, 0.7);
    mouth.lower_bottom[i] = mouth.lower_top[i] + lower_height * std::pow(q, 0.55) + 0.8 * a15 * q;
  }
  mouth.opening = mouth.lower_top[kSamples / 2] - mouth.upper_bottom[kSamples / 2];
  return mouth;
}

}  // namespace au::synth
