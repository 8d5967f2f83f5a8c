#include "distributed/build_info.h"

#include <torch/version.h>

#include <sstream>

#include "distributed/gpu_runtime.h"
#include "distributed/nccl_backend.h"

namespace au::distributed {

BuildInfo queryBuildInfo() {
  BuildInfo info;
  info.torch_version = TORCH_VERSION;
  queryGpuRuntime(info);
  info.nccl_version = ncclVersionBuilt();
  info.nccl_compiled = info.nccl_version > 0;
  return info;
}

std::string describe(const BuildInfo& info) {
  std::ostringstream out;
  out << "LibTorch " << info.torch_version << "\n"
      << "CUDA compiled: " << (info.cuda_compiled ? "yes" : "no");
  if (info.cuda_compiled) out << " (runtime " << info.cuda_runtime_version << ")";
  out << "\nNCCL compiled: " << (info.nccl_compiled ? "yes" : "no");
  if (info.nccl_compiled) out << " (" << info.nccl_version << ")";
  out << "\nGPUs visible: " << info.gpus_visible;
  if (info.gpus_visible == 0 && !info.gpu_note.empty()) out << " (" << info.gpu_note << ")";
  out << "\n";
  return out.str();
}

}  // namespace au::distributed
