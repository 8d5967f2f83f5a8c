#include "synth/image_finish.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "synth/colour_math.h"

namespace au::synth {
namespace {

// Darkening towards the rim of the face, so that it reads as round: 1 at the centre, 0.84 at
// the contour (an ellipse above the centre, the jaw's superellipse below, stretched by the
// jaw drop), 1 outside.
double faceShade(const ShadedFace& face, Point2d pixel) {
  const Point2d canonical = face.mapping.toCanonical(pixel);
  const FaceIdentity& identity = *face.identity;
  const double dx = std::fabs(canonical.x - kFaceCentre) / identity.face_half_width;
  double radius_squared;
  if (canonical.y < kFaceCentre) {
    const double dy = (kFaceCentre - canonical.y) / identity.face_top;
    radius_squared = dx * dx + dy * dy;
  } else {
    const double dy = (canonical.y - kFaceCentre) / (identity.face_bottom + face.jaw_drop);
    // The superellipse norm lies between the Euclidean and the max norm; interpolating between
    // them avoids a pow() per pixel.
    const double euclidean = std::sqrt(dx * dx + dy * dy);
    const double radius =
        euclidean + (std::max(dx, dy) - euclidean) * 0.37 * (identity.jaw_square - 2.0);
    radius_squared = radius * radius;
  }
  // Past the contour the darkening fades out over a short ring (a soft contact shadow), so that
  // the anti-aliased rim, where the approximation is off by a pixel, is never left bright.
  return radius_squared < 1.0 ? 1 - 0.16 * smoothstep(0.3, 1.0, radius_squared)
                              : 0.84 + 0.16 * smoothstep(1.0, 1.3, radius_squared);
}

// One standard normal from the 64 bits of one draw: the sum of four 16-bit uniforms, rescaled
// (Irwin-Hall). Much cheaper than Box-Muller per pixel and plenty for camera noise.
float fastNormal(au::Rng& rng) {
  const uint64_t bits = rng.next();
  const uint64_t sum =
      (bits & 0xFFFF) + ((bits >> 16) & 0xFFFF) + ((bits >> 32) & 0xFFFF) + (bits >> 48);
  return (static_cast<float>(sum) * (1.0f / 65536.0f) - 2.0f) * 1.7320508f;
}

}  // namespace

void finishImage(cv::Mat& image, const FaceIdentity& light, const std::vector<ShadedFace>& faces,
                 uint64_t noise_seed) {
  au::Rng rng(noise_seed);
  const bool blur = rng.bernoulli(0.35);
  const double blur_sigma = rng.uniform(0.3, 0.8);
  const double noise_sigma = rng.uniform(1.5, 4.5);
  if (blur) cv::GaussianBlur(image, image, cv::Size(0, 0), blur_sigma);

  // Light gain changes by light_strength from the centre to the nearest edge.
  const double half = std::min(image.cols, image.rows) / 2.0;
  const double gain_per_x = std::cos(light.light_angle) * light.light_strength / half;
  const double gain_per_y = std::sin(light.light_angle) * light.light_strength / half;
  std::vector<float> row_gain(image.cols);
  std::vector<float> row_noise(3 * image.cols);
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      double gain = light.exposure *
                    (1 + gain_per_x * (x - image.cols / 2.0) + gain_per_y * (y - image.rows / 2.0));
      for (const auto& face : faces) gain *= faceShade(face, Point2d(x, y));
      row_gain[x] = static_cast<float>(gain);
    }
    cv::Vec3b* row = image.ptr<cv::Vec3b>(y);
    const float sigma = static_cast<float>(noise_sigma);
    const float white_balance[3] = {static_cast<float>(light.white_balance_b), 1.0f,
                                    static_cast<float>(light.white_balance_r)};
    // Noise first, into floats: byte stores in the same loop would make the compiler reload
    // the generator state after each one.
    for (float& noise : row_noise) noise = sigma * fastNormal(rng) + 0.5f;
    for (int x = 0; x < image.cols; ++x) {
      for (int c = 0; c < 3; ++c) {
        const float value = row[x][c] * row_gain[x] * white_balance[c] + row_noise[3 * x + c];
        row[x][c] = static_cast<uint8_t>(std::min(255.0f, std::max(0.0f, value)));
      }
    }
  }
}

}  // namespace au::synth
