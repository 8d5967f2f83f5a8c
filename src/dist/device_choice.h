// Where a rank computes and in which precision, chosen the same way by au_train and au_infer:
// the ranks agree on GPU presence first, so that none takes another path than the others.
#pragma once

#include <torch/types.h>

#include <string>

#include "mpi/process_group.h"

namespace au::dist {

/// Collective. `wanted` is auto, cpu or cuda; with a GPU each rank takes GPU localRank % count.
/// Throws UsageError (naming `option`) for cuda without a GPU, and when some ranks see a GPU
/// and others do not (unless cpu is asked for).
torch::Device chooseDevice(const std::string& wanted, const mpi::ProcessGroup& group, const std::string& option);

/// A precision setting resolved for a device: auto is bf16 on CUDA and fp32 on CPU.
struct Precision {
  std::string name;  ///< fp32, bf16 or fp16
  bool autocast = false;
  torch::Dtype dtype = torch::kBFloat16;  ///< the autocast dtype
};
/// Throws UsageError (naming `option`) for fp16 off CUDA or an unknown name. fp32 on CUDA turns
/// TF32 off, so that fp32 means fp32 there too.
Precision choosePrecision(const std::string& wanted, const torch::Device& device, const std::string& option);

}  // namespace au::dist
