#include "model/precision.h"

#include <ATen/autocast_mode.h>

namespace au::model {

AutocastScope::AutocastScope(torch::DeviceType device, torch::Dtype dtype)
    : device_(device),
      was_enabled_(at::autocast::is_autocast_enabled(device)),
      previous_dtype_(at::autocast::get_autocast_dtype(device)) {
  at::autocast::set_autocast_enabled(device, true);
  at::autocast::set_autocast_dtype(device, dtype);
}

AutocastScope::~AutocastScope() {
  at::autocast::set_autocast_enabled(device_, was_enabled_);
  at::autocast::set_autocast_dtype(device_, previous_dtype_);
  // Autocast caches casted weights while enabled; drop them when the outermost scope ends.
  if (!was_enabled_) at::autocast::clear_cache();
}

void toChannelsLast(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.parameters(/*recurse=*/true))
    if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
  for (auto& b : module.buffers(/*recurse=*/true))
    if (b.dim() == 4) b.set_data(b.contiguous(at::MemoryFormat::ChannelsLast));
}

}  // namespace au::model
