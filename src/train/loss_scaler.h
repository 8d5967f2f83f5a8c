// Dynamic loss scaling for fp16 training (what torch.amp.GradScaler does): the loss is
// multiplied by a scale before backward; steps whose gradients overflow are skipped and the
// scale halves; after `growth_interval` good steps it doubles. Gradients are checked after
// the allreduce, so every rank takes the same decision.
#pragma once

#include <torch/torch.h>

#include <cmath>
#include <vector>

namespace au::train {

class LossScaler {
 public:
  /// `good_steps`: overflow-free steps since the scale last changed (a resumed run passes the
  /// saved scale and count, so it skips exactly the steps an uninterrupted run would).
  explicit LossScaler(bool enabled, double initial_scale = 65536.0, int growth_interval = 2000,
                      int good_steps = 0)
      : enabled_(enabled),
        scale_(enabled ? initial_scale : 1.0),
        growth_interval_(growth_interval),
        good_steps_(good_steps) {}

  bool enabled() const { return enabled_; }
  double scale() const { return scale_; }
  int goodSteps() const { return good_steps_; }
  torch::Tensor scaleLoss(const torch::Tensor& loss) const {
    return enabled_ ? loss * scale_ : loss;
  }

  /// Unscales the gradients in place. Returns false (skip the step) when any is inf or NaN.
  bool unscaleAndCheck(const std::vector<torch::Tensor>& parameters) {
    if (!enabled_) return true;
    torch::NoGradGuard no_grad;
    bool finite = true;
    for (const auto& p : parameters) {
      if (!p.grad().defined()) continue;
      if (!torch::isfinite(p.grad()).all().item<bool>()) finite = false;
      p.grad().div_(scale_);
    }
    if (!finite) {
      scale_ /= 2;
      good_steps_ = 0;
    } else if (++good_steps_ >= growth_interval_) {
      scale_ *= 2;
      good_steps_ = 0;
    }
    return finite;
  }

 private:
  bool enabled_;
  double scale_;
  int growth_interval_;
  int good_steps_;
};

}  // namespace au::train
