#include "model/precision.h"

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>

#include "common/error.h"

namespace au::model {

Precision choosePrecision(const std::string& wanted, const torch::Device& device,
                          const std::string& option) {
  Precision p;
  p.name = wanted == "auto" ? (device.is_cuda() ? "bf16" : "fp32") : wanted;
  if (p.name != "fp32" && p.name != "bf16" && p.name != "fp16")
    AU_THROW(UsageError, "--", option, " must be auto, fp32, bf16 or fp16, not '", wanted, "'");
  if (p.name == "fp16" && !device.is_cuda())
    AU_THROW(UsageError, "--", option, " fp16 needs a CUDA device");
  p.autocast = p.name != "fp32";
  p.dtype = p.name == "fp16" ? torch::kFloat16 : torch::kBFloat16;
  // fp32 asked for on a GPU means IEEE fp32: cuDNN would otherwise convolve in TF32 (10-bit
  // mantissa) by default. bf16 autocast is the fast path.
  if (device.is_cuda() && !p.autocast) {
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
  }
  return p;
}

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
