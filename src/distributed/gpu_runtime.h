// What the CUDA runtime says about this node. CMake compiles gpu_runtime_cuda.cpp into CUDA
// builds and gpu_runtime_none.cpp into the others, so no source holds an #if on CUDA.
#pragma once

#include "distributed/build_info.h"

namespace au::distributed {

/// Fills `info`'s CUDA fields (compiled, runtime version, GPUs visible or why none is);
/// never throws for a missing GPU.
void queryGpuRuntime(BuildInfo& info);

}  // namespace au::distributed
