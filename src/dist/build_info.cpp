#include "dist/build_info.h"

#include <torch/version.h>

#include <sstream>

#ifdef AU_WITH_CUDA
#include <cuda_runtime_api.h>
#endif
#ifdef AU_WITH_NCCL
#include <nccl.h>
#endif

namespace au::dist {

BuildInfo queryBuildInfo() {
  BuildInfo info;
  info.torch_version = TORCH_VERSION;
#ifdef AU_WITH_CUDA
  info.cuda_compiled = true;
  cudaRuntimeGetVersion(&info.cuda_runtime_version);
  int count = 0;
  const cudaError_t rc = cudaGetDeviceCount(&count);
  if (rc == cudaSuccess) {
    info.gpus_visible = count;
  } else {
    info.gpu_note = cudaGetErrorString(rc);
    cudaGetLastError();  // clear the sticky error so later CUDA calls start clean
  }
#else
  info.gpu_note = "built without CUDA";
#endif
#ifdef AU_WITH_NCCL
  info.nccl_compiled = true;
  ncclGetVersion(&info.nccl_version);
#endif
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

}  // namespace au::dist
