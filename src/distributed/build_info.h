// What this build can do on this node: LibTorch version, CUDA/NCCL compiled in, GPUs visible.
#pragma once

#include <string>

namespace au::distributed {

struct BuildInfo {
  std::string torch_version;
  bool cuda_compiled = false;
  bool nccl_compiled = false;
  int cuda_runtime_version = 0;  ///< e.g. 13000; 0 when not compiled
  int nccl_version = 0;          ///< e.g. 22809; 0 when not compiled
  int gpus_visible = 0;          ///< 0 is a normal state (CPU node)
  std::string gpu_note;          ///< why no GPU is visible, when none is
};

/// Queries the runtime; never throws for a missing GPU.
BuildInfo queryBuildInfo();
/// Multi-line human-readable report.
std::string describe(const BuildInfo& info);

}  // namespace au::distributed
