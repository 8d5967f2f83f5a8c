#include <cuda_runtime_api.h>

#include "distributed/gpu_runtime.h"

namespace au::distributed {

void queryGpuRuntime(BuildInfo& info) {
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
}

}  // namespace au::distributed
