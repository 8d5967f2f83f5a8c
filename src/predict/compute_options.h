// Where a prediction program (au_infer, au_video) computes: the device, the precision and the
// threads per rank, as options of its section, and what they come to on this rank.
#pragma once

#include <torch/types.h>

#include <string>

#include "model/precision.h"
#include "mpi/process_group.h"

namespace au {
class OptionSet;
}

namespace au::predict {

struct ComputeOptions {
  std::string device = "auto";     ///< auto, cpu or cuda
  std::string precision = "auto";  ///< auto (bf16 on CUDA, fp32 on CPU), fp32, bf16, fp16
  int threads = 0;                 ///< threads per rank (0: cores / ranks on the node)
  bool fold_batchnorm = true;      ///< see EnsembleSettings::fold_batchnorm
};
/// `<section>.device`, `<section>.precision`, `<section>.threads` and `<section>.fold_batchnorm`.
void describe(OptionSet& options, const std::string& section, ComputeOptions& o);

struct Compute {
  torch::Device device = torch::kCPU;
  model::Precision precision;
  int threads = 1;
  bool fold_batchnorm = true;
};
/// Sets torch's intra-op threads and chooses the device (the node-local rank's GPU) and the
/// precision; errors name the `<section>.` option. Collective.
Compute setUpCompute(const ComputeOptions& o, const std::string& section,
                     const mpi::ProcessGroup& group);

}  // namespace au::predict
