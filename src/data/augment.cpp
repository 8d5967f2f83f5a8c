#include "data/augment.h"

#include <torch/torch.h>

#include "common/error.h"
#include "common/options.h"
#include "common/rng.h"

namespace au::data {

void describe(OptionSet& options, AugmentOptions& a) {
  options.add("augment.enabled", &a.enabled, "augment training images (colour jitter, flip)");
  options.add(
      "augment.jitter_probability", &a.jitter_probability,
      "chance of each colour jitter (brightness, contrast, saturation, hue), independently");
  options.add("augment.brightness", &a.brightness, "brightness factor range: 1 +- this");
  options.add("augment.contrast", &a.contrast, "contrast factor range: 1 +- this");
  options.add("augment.saturation", &a.saturation, "saturation factor range: 1 +- this");
  options.add("augment.hue", &a.hue, "hue shift range in turns (0.5 = half the colour wheel)");
  options.add("augment.flip", &a.flip, "chance of a horizontal flip");
  options.addCheck([&a] {
    for (double p : {a.jitter_probability, a.flip})
      if (p < 0 || p > 1) AU_THROW(UsageError, "augmentation chances must be in [0, 1]");
    for (double r : {a.brightness, a.contrast, a.saturation})
      if (r < 0 || r >= 1)
        AU_THROW(UsageError, "brightness/contrast/saturation ranges must be in [0, 1)");
    if (a.hue < 0 || a.hue > 0.5) AU_THROW(UsageError, "--augment.hue must be in [0, 0.5]");
  });
}

SampleAugment drawAugment(const AugmentOptions& o, uint64_t seed, int64_t epoch, int64_t position) {
  SampleAugment s;
  if (!o.enabled) return s;
  Rng rng(seed, {kAugmentStream, static_cast<uint64_t>(epoch), static_cast<uint64_t>(position)});
  // Fixed draw order, every draw made whether used or not: each decision has its own numbers.
  const bool b = rng.bernoulli(o.jitter_probability), c = rng.bernoulli(o.jitter_probability),
             sat = rng.bernoulli(o.jitter_probability), h = rng.bernoulli(o.jitter_probability);
  const double fb = rng.uniform(1 - o.brightness, 1 + o.brightness);
  const double fc = rng.uniform(1 - o.contrast, 1 + o.contrast);
  const double fs = rng.uniform(1 - o.saturation, 1 + o.saturation);
  const double fh = rng.uniform(-o.hue, o.hue);
  s.flip = rng.bernoulli(o.flip);
  if (b) s.brightness = static_cast<float>(fb);
  if (c) s.contrast = static_cast<float>(fc);
  if (sat) s.saturation = static_cast<float>(fs);
  if (h) s.hue = static_cast<float>(fh);
  return s;
}

namespace {

torch::Tensor toUnitNchw(const torch::Tensor& images) {
  AU_CHECK(images.dim() == 4 && images.size(3) == 3 && images.scalar_type() == torch::kUInt8,
           "images must be uint8 N x H x W x 3, not ", images.sizes(), " ", images.scalar_type());
  return images.permute({0, 3, 1, 2}).to(torch::kFloat32).div_(255.0f).contiguous();
}

torch::Tensor grayscale(const torch::Tensor& x) {
  return (0.299f * x.select(1, 0) + 0.587f * x.select(1, 1) + 0.114f * x.select(1, 2)).unsqueeze(1);
}

// Per-sample column N x 1 x 1 x 1 of `values` and a mask of the samples where it applies.
std::pair<torch::Tensor, torch::Tensor> column(const std::vector<float>& values, float identity,
                                               const torch::Device& device) {
  std::vector<uint8_t> apply;
  for (float v : values) apply.push_back(v != identity);
  const auto n = static_cast<int64_t>(values.size());
  auto factor =
      torch::from_blob(const_cast<float*>(values.data()), {n, 1, 1, 1}, torch::kFloat32).to(device);
  auto mask = torch::from_blob(apply.data(), {n, 1, 1, 1}, torch::kUInt8).to(device, torch::kBool);
  return {factor.clone(), mask.clone()};
}

// where(mask, blend(x, other, factor), x), clamped to [0, 1]: torchvision's _blend.
torch::Tensor blend(const torch::Tensor& x, const torch::Tensor& other,
                    const std::vector<float>& factors) {
  const auto [factor, mask] = column(factors, 1.0f, x.device());
  if (!mask.any().item<bool>()) return x;
  return torch::where(mask, (factor * x + (1 - factor) * other).clamp_(0, 1), x);
}

}  // namespace

torch::Tensor rgbToHsv(const torch::Tensor& rgb) {
  const auto r = rgb.select(1, 0), g = rgb.select(1, 1), b = rgb.select(1, 2);
  const auto maxc = std::get<0>(rgb.max(1)), minc = std::get<0>(rgb.min(1));
  const auto equal = maxc == minc;
  const auto range = maxc - minc;
  const auto ones = torch::ones_like(maxc);
  const auto s = range / torch::where(equal, ones, maxc);
  const auto divisor = torch::where(equal, ones, range);
  const auto rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor;
  const auto hr = (maxc == r).to(rgb.dtype()) * (bc - gc);
  const auto hg = ((maxc == g) & (maxc != r)).to(rgb.dtype()) * (2.0f + rc - bc);
  const auto hb = ((maxc != g) & (maxc != r)).to(rgb.dtype()) * (4.0f + gc - rc);
  const auto h = torch::fmod((hr + hg + hb) / 6.0f + 1.0f, 1.0f);
  return torch::stack({h, s, maxc}, 1);
}

torch::Tensor hsvToRgb(const torch::Tensor& hsv) {
  const auto h = hsv.select(1, 0), s = hsv.select(1, 1), v = hsv.select(1, 2);
  const auto i6 = torch::floor(h * 6.0f);
  const auto f = h * 6.0f - i6;
  const auto i = torch::remainder(i6, 6.0f);
  const auto p = (v * (1.0f - s)).clamp(0, 1);
  const auto q = (v * (1.0f - s * f)).clamp(0, 1);
  const auto t = (v * (1.0f - s * (1.0f - f))).clamp(0, 1);
  // Sector k of the wheel takes (r, g, b) from these.
  const std::array<std::array<torch::Tensor, 3>, 6> pick = {
      {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}}};
  std::array<torch::Tensor, 3> out = {torch::zeros_like(v), torch::zeros_like(v),
                                      torch::zeros_like(v)};
  for (int k = 0; k < 6; ++k) {
    const auto in_sector = (i == static_cast<float>(k)).to(hsv.dtype());
    for (size_t c = 0; c < 3; ++c) out[c] = out[c] + in_sector * pick[static_cast<size_t>(k)][c];
  }
  return torch::stack({out[0], out[1], out[2]}, 1);
}

torch::Tensor normaliseImages(const torch::Tensor& images) {
  return toUnitNchw(images).sub_(0.5f).div_(0.5f);
}

torch::Tensor augmentImages(const torch::Tensor& images, const std::vector<SampleAugment>& draws) {
  torch::NoGradGuard no_grad;
  AU_CHECK(static_cast<int64_t>(draws.size()) == images.size(0), draws.size(),
           " augmentation draws for ", images.size(0), " images");
  torch::Tensor x = toUnitNchw(images);
  std::vector<float> brightness, contrast, saturation, hue, flip;
  for (const auto& d : draws) {
    brightness.push_back(d.brightness);
    contrast.push_back(d.contrast);
    saturation.push_back(d.saturation);
    hue.push_back(d.hue);
    flip.push_back(d.flip ? 1.0f : 0.0f);
  }
  // torchvision's order within ColorJitter is random per call; ours is fixed (documented).
  x = blend(x, torch::zeros_like(x), brightness);
  x = blend(x, grayscale(x).mean({2, 3}, /*keepdim=*/true), contrast);
  x = blend(x, grayscale(x), saturation);
  {
    const auto [shift, mask] = column(hue, 0.0f, x.device());
    if (mask.any().item<bool>()) {
      auto hsv = rgbToHsv(x);
      auto h = torch::remainder(hsv.select(1, 0).unsqueeze(1) + shift, 1.0f);
      hsv = torch::cat({h, hsv.narrow(1, 1, 2)}, 1);
      x = torch::where(mask, hsvToRgb(hsv), x);
    }
  }
  {
    const auto [flag, mask] = column(flip, 0.0f, x.device());
    if (mask.any().item<bool>()) x = torch::where(mask, x.flip({3}), x);
  }
  return x.sub_(0.5f).div_(0.5f).contiguous();
}

}  // namespace au::data
