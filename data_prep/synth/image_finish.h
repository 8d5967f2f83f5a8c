// Camera-like finishing of a drawn crop or raw frame: lighting gradient, face-roundness shading,
// white balance, an occasional mild blur and pixel noise (internal to the renderer).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "synth/face_canvas.h"

namespace au::synth {

// A drawn face whose rim finishImage() darkens so that it reads as round.
struct ShadedFace {
  const FaceIdentity* identity;
  PoseMapping mapping;  // how the face was drawn
  double jaw_drop;      // chin displacement of its expression, canonical units
};

// Blurs (sometimes), multiplies in lighting (from `light`'s light_*, exposure and white balance)
// and every face's shading, then adds Gaussian noise; every random choice comes from
// au::Rng(noise_seed).
void finishImage(cv::Mat& image, const FaceIdentity& light, const std::vector<ShadedFace>& faces,
                 uint64_t noise_seed);

}  // namespace au::synth
