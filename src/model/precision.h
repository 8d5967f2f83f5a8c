// Mixed precision and memory layout: the precision setting resolved for a device, an autocast
// scope (bf16 on CPU, fp16/bf16 on CUDA) and conversion of a module's 4-D weights to channels_last.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <string>

namespace au::model {

/// A precision setting resolved for a device: auto is bf16 on CUDA and fp32 on CPU.
struct Precision {
  std::string name;  ///< fp32, bf16 or fp16
  bool autocast = false;
  torch::Dtype dtype = torch::kBFloat16;  ///< the autocast dtype
};
/// Throws UsageError (naming `option`) for fp16 off CUDA or an unknown name. fp32 on CUDA turns
/// TF32 off, so that fp32 means fp32 there too.
Precision choosePrecision(const std::string& wanted, const torch::Device& device,
                          const std::string& option);

/// Enables autocast for `device` with `dtype` while alive; restores the previous state after.
class AutocastScope {
 public:
  AutocastScope(torch::DeviceType device, torch::Dtype dtype);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  torch::DeviceType device_;
  bool was_enabled_;
  torch::Dtype previous_dtype_;
};

/// Stores every 4-D parameter and buffer of `module` in channels_last layout (NHWC in memory),
/// which convolution kernels on tensor cores prefer; feed inputs the same way.
void toChannelsLast(torch::nn::Module& module);

}  // namespace au::model
