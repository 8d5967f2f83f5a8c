// Procedural face renderer for the synthetic Aff-Wild2: per-video identities and head motion,
// 112x112 aligned face crops in which each of the 12 AUs visibly moves its part of the face,
// and larger raw "video" frames with one or two faces.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "common/rng.h"
#include "synth/au_activations.h"

namespace au::synth {

/// Appearance of one person for a whole video. Lengths are in canonical units: the face is laid
/// out in a 112x112 frame (eyes near y = 50, mouth near y = 91, face centre x = 56), which the
/// pose and the output size then map to pixels. Colours are BGR in [0, 255].
struct FaceIdentity {
  cv::Scalar skin, hair, brow, lips, iris, shirt, glasses_colour;
  cv::Scalar background_a, background_b;  ///< two colours of the background
  int background_kind = 0;                ///< 0 gradient, 1 wall bands, 2 soft blobs
  uint64_t background_seed = 0;           ///< places the background's shapes

  double face_half_width = 38;  ///< half width of the face oval at cheek level
  double face_top = 50;         ///< centre (y = 56) to the top of the skull
  double face_bottom = 48;      ///< centre (y = 56) to the chin
  double jaw_square = 2.3;      ///< superellipse exponent of the jaw: 2 round, 3 square

  double eye_y = 50;             ///< eye line
  double eye_separation = 17.5;  ///< centre of face to each eye centre
  double eye_half_width = 6.8;
  double eye_upper = 3.4;  ///< upper lid height above the corner line
  double eye_lower = 2.2;  ///< lower lid depth below the corner line
  double iris_radius = 3.1;

  double brow_gap = 9.5;  ///< eye line to the brow centre line
  double brow_thickness = 2.6;
  double brow_arch = 1.8;

  double nose_y = 72;  ///< nose tip
  double nose_half_width = 8;
  double mouth_y = 91;  ///< closed-lip line at the centre
  double mouth_half_width = 14.5;
  double upper_lip = 3.2;  ///< red upper lip height at the centre
  double lower_lip = 4.2;  ///< red lower lip height at the centre
  double wrinkles = 0.15;  ///< 0..0.4: baseline depth of folds (age)

  int hair_style = 0;      ///< 0 short, 1 long, 2 shaved, 3 fringe
  double hairline_y = 16;  ///< hairline height at the centre of the forehead
  bool glasses = false;

  double light_angle = 0;        ///< direction the light comes from, radians in the image plane
  double light_strength = 0.15;  ///< 0..0.35: brightness change across the face
  double exposure = 1.0;         ///< overall gain
  double white_balance_b = 1.0;  ///< blue channel gain
  double white_balance_r = 1.0;  ///< red channel gain
};

/// Draws a plausible, varied identity (skin tones light to dark, face shapes, hair, glasses).
FaceIdentity sampleIdentity(au::Rng& rng);

/// Residual head motion inside an aligned crop, relative to the canonical layout.
struct FacePose {
  double dx = 0;         ///< canonical units, |dx| <= 3
  double dy = 0;         ///< canonical units, |dy| <= 3
  double scale = 1;      ///< 0.94 .. 1.06
  double angle_deg = 0;  ///< in-plane rotation, clockwise on screen, |angle| <= 6
};

/// Next frame's pose: a slow mean-reverting random walk from `previous` (pass FacePose{} for the
/// first frame), so consecutive frames differ by a fraction of a pixel and a fraction of a degree.
FacePose samplePose(au::Rng& rng, const FacePose& previous);

/// Renders one aligned face crop (CV_8UC3, BGR, size x size). Geometry is computed in canonical
/// units and mapped through the pose; then lighting, an occasional mild blur and Gaussian pixel
/// noise (sigma 1.5..4.5 grey levels) follow, all drawn from au::Rng(noise_seed). Same arguments,
/// same bytes.
cv::Mat renderFace(const FaceIdentity& identity, const FacePose& pose, const AuIntensity& au,
                   uint64_t noise_seed, int size = 112);

/// One person in a raw video frame.
struct SceneFace {
  FaceIdentity identity;
  FacePose pose;
  AuIntensity au{};
};

/// Renders a raw video frame (CV_8UC3, BGR, width x height) with the faces side by side, left to
/// right (two faces for a `_left`/`_right` video pair); the background and lighting are those of
/// the first face's identity. Requires 1 <= faces.size() <= 4.
cv::Mat renderScene(const std::vector<SceneFace>& faces, uint64_t noise_seed, int width = 320,
                    int height = 240);

/// Where face `index` of `count` sits in a renderScene frame: the square that its canonical
/// 112x112 frame maps to at the identity pose. Cropping this square and resizing it to 112x112
/// gives the aligned crop (up to the scene background).
cv::Rect sceneFaceRect(int index, int count, int width = 320, int height = 240);

}  // namespace au::synth
