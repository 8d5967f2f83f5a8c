// A --dump-model style summary: the layers with their parameter counts and output shapes.
#pragma once

#include <string>

#include "model/au_net.h"

namespace au::model {

struct ParameterCount {
  int64_t total = 0;      ///< every parameter, as PyTorch's sum(p.numel()) counts them
  int64_t trainable = 0;  ///< those with requires_grad
};

ParameterCount countParameters(const torch::nn::Module& module);
/// Runs one 112x112 input through `net` (in eval mode, no grad) and describes it.
std::string summarize(AuNet& net);

}  // namespace au::model
