// The paper's training augmentation on batched tensors (so it runs on the GPU when the batch
// is there): colour jitter, each of brightness, contrast, saturation and hue applied with its
// own chance, then a horizontal flip; and the uint8 -> [-1, 1] input normalisation. Each
// sample's random draws come from (seed, epoch, position) alone, never from thread timing.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace au {
class OptionSet;
}

namespace au::data {

struct AugmentOptions {
  bool enabled = true;
  double jitter_probability = 0.3;  ///< chance of each of the four jitters, independently
  double brightness = 0.3;          ///< factor uniform in [1 - b, 1 + b]
  double contrast = 0.3;            ///< factor uniform in [1 - c, 1 + c]
  double saturation = 0.3;          ///< factor uniform in [1 - s, 1 + s]
  double hue = 0.05;                ///< shift uniform in [-h, h] turns of the colour wheel
  double flip = 0.5;                ///< chance of a horizontal flip
};
void describe(OptionSet& options, AugmentOptions& augment);

/// The stream key augmentation gives au::Rng.
constexpr uint64_t kAugmentStream = 0x6175676d656e74ull;  // "augment"

/// One sample's draws; identity values mean "not applied".
struct SampleAugment {
  bool flip = false;
  float brightness = 1, contrast = 1, saturation = 1, hue = 0;
};
SampleAugment drawAugment(const AugmentOptions& options, uint64_t seed, int64_t epoch,
                          int64_t position);

/// uint8 N x H x W x 3 (RGB) -> float N x 3 x H x W in [-1, 1], on the input's device.
torch::Tensor normaliseImages(const torch::Tensor& images);
/// As normaliseImages, with each sample's augmentation applied (in [0, 1], before scaling).
torch::Tensor augmentImages(const torch::Tensor& images, const std::vector<SampleAugment>& draws);

/// RGB <-> HSV on N x 3 x H x W tensors in [0, 1] (torchvision's formulas); exposed for tests.
torch::Tensor rgbToHsv(const torch::Tensor& rgb);
torch::Tensor hsvToRgb(const torch::Tensor& hsv);

}  // namespace au::data
