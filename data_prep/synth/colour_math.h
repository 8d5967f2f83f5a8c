// Clamping, interpolation and BGR colour helpers shared by the face renderer's pieces
// (internal to data_prep/synth).
#pragma once

#include <algorithm>
#include <opencv2/core.hpp>

namespace au::synth {

inline double clamp01(double value) { return std::min(1.0, std::max(0.0, value)); }

inline double lerp(double from, double to, double t) { return from + (to - from) * t; }

// 0 below edge0, 1 above edge1, a cubic ease in between.
inline double smoothstep(double edge0, double edge1, double x) {
  const double t = clamp01((x - edge0) / (edge1 - edge0));
  return t * t * (3 - 2 * t);
}

// Each channel clamped to [0, 255].
inline cv::Scalar clampColour(const cv::Scalar& colour) {
  return cv::Scalar(std::min(255.0, std::max(0.0, colour[0])),
                    std::min(255.0, std::max(0.0, colour[1])),
                    std::min(255.0, std::max(0.0, colour[2])));
}

// Darker (factor < 1) or brighter (factor > 1) version of a colour.
inline cv::Scalar scaled(const cv::Scalar& colour, double factor) {
  return clampColour(colour * factor);
}

// `from` at t = 0 to `to` at t = 1; t is clamped to [0, 1].
inline cv::Scalar blend(const cv::Scalar& from, const cv::Scalar& to, double t) {
  t = clamp01(t);
  return clampColour(from * (1 - t) + to * t);
}

// OpenCV colours are BGR; the palettes are easier to read as RGB.
inline cv::Scalar rgb(double red, double green, double blue) {
  return cv::Scalar(blue, green, red);
}

}  // namespace au::synth
