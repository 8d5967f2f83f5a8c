// Mixed precision and memory layout: an autocast scope (bf16 on CPU, fp16/bf16 on CUDA) and
// conversion of a module's 4-D weights to channels_last.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

namespace au::model {

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
