// The background behind the faces of a crop or a raw frame (internal to the renderer).
#pragma once

#include <opencv2/core.hpp>

#include "synth/face_renderer.h"

namespace au::synth {

// Fills the whole image with the identity's background: a vertical gradient, wall bands or soft
// blobs, placed by au::Rng(identity.background_seed).
void drawBackground(cv::Mat& image, const FaceIdentity& identity);

}  // namespace au::synth
