// sampleIdentity and samplePose of face_renderer.h: random people and their head motion.
#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>

#include "synth/colour_math.h"
#include "synth/face_canvas.h"
#include "synth/face_renderer.h"

namespace au::synth {
namespace {

// Each channel multiplied by its own factor, uniform in [1 - amount, 1 + amount].
cv::Scalar jitter(au::Rng& rng, const cv::Scalar& colour, double amount) {
  return clampColour(cv::Scalar(colour[0] * rng.uniform(1 - amount, 1 + amount),
                                colour[1] * rng.uniform(1 - amount, 1 + amount),
                                colour[2] * rng.uniform(1 - amount, 1 + amount)));
}

void sampleColouring(au::Rng& rng, FaceIdentity& identity) {
  // Skin tones from very light to very dark (RGB), interpolated between neighbours.
  static const std::array<cv::Scalar, 7> kSkinTones = {
      rgb(250, 222, 198), rgb(238, 194, 166), rgb(222, 170, 136), rgb(196, 140, 104),
      rgb(164, 110, 80),  rgb(122, 82, 60),   rgb(88, 58, 44)};
  static const std::array<cv::Scalar, 7> kHairColours = {
      rgb(24, 20, 20),  rgb(58, 40, 30),    rgb(105, 72, 48),  rgb(196, 164, 108),
      rgb(150, 70, 40), rgb(150, 148, 145), rgb(205, 202, 198)};
  static const std::array<cv::Scalar, 6> kIrisColours = {rgb(70, 45, 28),   rgb(42, 28, 18),
                                                         rgb(110, 85, 45),  rgb(80, 110, 70),
                                                         rgb(75, 115, 165), rgb(110, 120, 130)};
  // Weights lean towards the middle tones, with both ends well represented.
  static const std::array<double, 7> kSkinToneWeights = {0.16, 0.18, 0.18, 0.16, 0.13, 0.11, 0.08};
  int tone = 0;
  for (double u = rng.uniform(); tone < 6 && u >= kSkinToneWeights[tone]; ++tone)
    u -= kSkinToneWeights[tone];
  const int next_tone = std::min<int>(kSkinTones.size() - 1, tone + 1);
  identity.skin =
      jitter(rng, blend(kSkinTones[tone], kSkinTones[next_tone], rng.uniform(0, 0.5)), 0.03);
  // Darker skin comes with black or dark brown hair and brown eyes; lighter skin with any colour,
  // though black and dark brown stay the most common.
  const bool dark = tone >= 4;
  int hair =
      dark ? static_cast<int>(rng.below(2)) : static_cast<int>(rng.below(kHairColours.size()));
  if (!dark && rng.bernoulli(0.35)) hair = static_cast<int>(rng.below(2));
  identity.hair = jitter(rng, kHairColours[hair], 0.08);
  identity.brow =
      hair >= 3 ? blend(identity.hair, rgb(70, 55, 45), 0.5) : scaled(identity.hair, 0.85);
  identity.iris = dark ? kIrisColours[rng.below(2)] : kIrisColours[rng.below(kIrisColours.size())];
  const cv::Scalar skin = identity.skin;
  identity.lips = jitter(
      rng, clampColour(cv::Scalar(skin[0] * 0.7 + 6, skin[1] * 0.62, skin[2] * 0.9 + 10)), 0.05);
  identity.shirt = rgb(rng.uniform(20, 235), rng.uniform(20, 235), rng.uniform(20, 235));
  identity.glasses_colour = rng.bernoulli(0.6) ? rgb(30, 28, 28) : rgb(170, 170, 175);
}

void sampleBackground(au::Rng& rng, FaceIdentity& identity) {
  identity.background_a = rgb(rng.uniform(30, 230), rng.uniform(30, 230), rng.uniform(30, 230));
  identity.background_b = blend(identity.background_a,
                                rgb(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)),
                                rng.uniform(0.3, 0.8));
  identity.background_kind = static_cast<int>(rng.below(3));
  identity.background_seed = rng.next();
}

// A parameter drawn uniformly from [low, high).
struct UniformParameter {
  double FaceIdentity::*field;
  double low, high;
};

// Draws the parameters one after another, in the listed order.
void sampleUniform(au::Rng& rng, FaceIdentity& identity,
                   std::initializer_list<UniformParameter> parameters) {
  for (const UniformParameter& parameter : parameters)
    identity.*parameter.field = rng.uniform(parameter.low, parameter.high);
}

void sampleAgeHairAndGlasses(au::Rng& rng, FaceIdentity& identity) {
  const double age = rng.uniform();
  identity.wrinkles = 0.35 * age * age;
  const double style = rng.uniform();
  identity.hair_style = style < 0.4 ? 0 : style < 0.7 ? 1 : style < 0.82 ? 2 : 3;
  // A fringe starts 10..13 units above the brows.
  identity.hairline_y = identity.hair_style == 3
                            ? identity.eye_y - identity.brow_gap - rng.uniform(10, 13)
                            : rng.uniform(9, 20);
  identity.glasses = rng.bernoulli(0.12);
}

}  // namespace

FaceIdentity sampleIdentity(au::Rng& rng) {
  // Part by part; the order of the steps is the order of the random draws, which the datasets'
  // bytes depend on.
  FaceIdentity identity;
  sampleColouring(rng, identity);
  sampleBackground(rng, identity);
  sampleUniform(rng, identity,
                {{&FaceIdentity::face_half_width, 34.5, 40.5},
                 {&FaceIdentity::face_top, 47, 53},
                 {&FaceIdentity::face_bottom, 45, 50},
                 {&FaceIdentity::jaw_square, 2.0, 2.9},
                 {&FaceIdentity::eye_y, 48.5, 52},
                 {&FaceIdentity::eye_separation, 16.5, 18.8},
                 {&FaceIdentity::eye_half_width, 6.0, 7.4},
                 {&FaceIdentity::eye_upper, 3.4, 4.4},
                 {&FaceIdentity::eye_lower, 2.1, 2.9}});
  identity.iris_radius =
      std::min(rng.uniform(3.1, 3.7), 0.6 * (identity.eye_upper + identity.eye_lower));
  sampleUniform(rng, identity,
                {{&FaceIdentity::brow_gap, 8.5, 11},
                 {&FaceIdentity::brow_thickness, 1.8, 3.6},
                 {&FaceIdentity::brow_arch, 1.0, 2.6},
                 {&FaceIdentity::nose_y, 70, 74},
                 {&FaceIdentity::nose_half_width, 6.8, 9.5}});
  // The mouth keeps 12 units of chin below it.
  identity.mouth_y =
      std::min(identity.nose_y + rng.uniform(18.5, 21.5), kFaceCentre + identity.face_bottom - 12);
  sampleUniform(rng, identity,
                {{&FaceIdentity::mouth_half_width, 12.5, 16},
                 {&FaceIdentity::upper_lip, 2.3, 3.8},
                 {&FaceIdentity::lower_lip, 3.0, 5.0}});
  sampleAgeHairAndGlasses(rng, identity);
  sampleUniform(rng, identity,
                {{&FaceIdentity::light_angle, 0, 2 * M_PI},
                 {&FaceIdentity::light_strength, 0, 0.3},
                 {&FaceIdentity::exposure, 0.85, 1.1},
                 {&FaceIdentity::white_balance_b, 0.92, 1.08},
                 {&FaceIdentity::white_balance_r, 0.92, 1.08}});
  return identity;
}

FacePose samplePose(au::Rng& rng, const FacePose& previous) {
  // AR(1) with coefficient 0.98: stationary spread ~5x the per-frame step, clamped to the limits.
  constexpr double kKeep = 0.98;
  auto step = [&](double value, double centre, double sigma, double limit) {
    const double next = centre + kKeep * (value - centre) + sigma * rng.normal();
    return std::min(centre + limit, std::max(centre - limit, next));
  };
  FacePose pose;
  pose.dx = step(previous.dx, 0, 0.2, 3);
  pose.dy = step(previous.dy, 0, 0.2, 3);
  pose.scale = step(previous.scale, 1, 0.004, 0.06);
  pose.angle_deg = step(previous.angle_deg, 0, 0.4, 6);
  return pose;
}

}  // namespace au::synth
