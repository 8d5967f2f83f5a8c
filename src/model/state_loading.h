// Loads named tensors (a state_dict from safetensors or torch.save) into a module's parameters
// and buffers: strict by default, or partial (what fine-tuning a pretrained backbone needs).
#pragma once

#include <torch/nn/module.h>

#include <string>
#include <vector>

#include "model/safetensors.h"

namespace au::model {

enum class LoadMode {
  kStrict,   ///< every expected key present, nothing unexpected, every shape equal
  kPartial,  ///< load the keys that exist; missing ones stay as initialised; shapes must match
};

struct LoadReport {
  int loaded = 0;
  std::vector<std::string> missing;     ///< expected by the module, absent from the file
  std::vector<std::string> unexpected;  ///< in the file, not in the module
  std::vector<std::string> mismatched;  ///< "name: file [a,b] vs model [c,d]"
  std::string summary() const;
};

/// Copies `tensors[key]` into the module's parameter or buffer `module_prefix + key`
/// (e.g. module_prefix "backbone." loads an insightface backbone into an AuNet), converting
/// the dtype (fp16 weights become fp32). Only module entries under `module_prefix` are
/// expected. Throws DataError naming `source` with the missing, unexpected and mis-shaped keys
/// when strict loading fails, or when any shape differs in partial mode.
LoadReport loadStateDict(torch::nn::Module& module, const TensorMap& tensors, LoadMode mode,
                         const std::string& module_prefix = "",
                         const std::string& source = "state_dict");

/// The module's parameters and buffers by name (what a state_dict holds).
TensorMap stateDict(const torch::nn::Module& module);

}  // namespace au::model
