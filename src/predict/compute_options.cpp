#include "predict/compute_options.h"

#include <torch/torch.h>

#include "common/cpu_threads.h"
#include "common/options.h"
#include "distributed/device_choice.h"

namespace au::predict {

void describe(OptionSet& options, const std::string& section, ComputeOptions& o) {
  options.add(section + ".device", &o.device, "auto, cpu or cuda (the GPU of the node-local rank)");
  options.add(section + ".precision", &o.precision,
              "auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16 (CUDA)");
  options.add(section + ".threads", &o.threads,
              "intra-op threads per rank (0: the CPUs the launcher gave the rank, else the node's "
              "cores / its ranks)");
  options.add(section + ".fold_batchnorm", &o.fold_batchnorm,
              "fold each BatchNorm into the convolution or linear layer before it (the same "
              "probabilities to float rounding, one pass over memory fewer per BatchNorm)");
}

Compute setUpCompute(const ComputeOptions& o, const std::string& section,
                     const mpi::ProcessGroup& group) {
  Compute c;
  c.threads = o.threads > 0 ? o.threads : defaultThreads(group.localSize());
  torch::set_num_threads(c.threads);
  c.device = distributed::chooseDevice(o.device, group, section + ".device");
  c.precision = model::choosePrecision(o.precision, c.device, section + ".precision");
  c.fold_batchnorm = o.fold_batchnorm;
  return c;
}

}  // namespace au::predict
