#include "synth/scene_background.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "synth/colour_math.h"
#include "synth/face_canvas.h"

namespace au::synth {

void drawBackground(cv::Mat& image, const FaceIdentity& identity) {
  const int width = image.cols, height = image.rows;
  const cv::Scalar& colour_a = identity.background_a;
  const cv::Scalar& colour_b = identity.background_b;
  au::Rng rng(identity.background_seed);
  if (identity.background_kind == 0) {
    for (int y = 0; y < height; ++y)
      image.row(y).setTo(blend(colour_a, colour_b, static_cast<double>(y) / height));
    return;
  }
  image.setTo(colour_a);
  if (identity.background_kind == 1) {
    // Wall with a door frame or shelf: a few axis-aligned bands.
    for (int i = 0; i < 3; ++i) {
      const cv::Scalar colour = blend(colour_a, colour_b, rng.uniform(0.4, 1.0));
      if (rng.bernoulli(0.5)) {
        const int x0 = static_cast<int>(rng.uniform(0, 0.9) * width);
        const int band_width = static_cast<int>(rng.uniform(0.05, 0.25) * width) + 1;
        cv::rectangle(image, cv::Rect(x0, 0, band_width, height), colour, cv::FILLED);
      } else {
        const int y0 = static_cast<int>(rng.uniform(0, 0.9) * height);
        const int band_height = static_cast<int>(rng.uniform(0.05, 0.3) * height) + 1;
        cv::rectangle(image, cv::Rect(0, y0, width, band_height), colour, cv::FILLED);
      }
    }
    return;
  }
  // Soft blobs: large anti-aliased discs.
  for (int i = 0; i < 4; ++i) {
    const cv::Point centre(static_cast<int>(rng.uniform() * width * kSubpixelScale),
                           static_cast<int>(rng.uniform() * height * kSubpixelScale));
    const int radius =
        static_cast<int>(rng.uniform(0.15, 0.45) * std::max(width, height) * kSubpixelScale);
    cv::circle(image, centre, radius, blend(colour_a, colour_b, rng.uniform(0.3, 1.0)), cv::FILLED,
               cv::LINE_AA, kSubpixelBits);
  }
}

}  // namespace au::synth
