#include "distributed/gpu_runtime.h"

namespace au::distributed {

void queryGpuRuntime(BuildInfo& info) { info.gpu_note = "built without CUDA"; }

}  // namespace au::distributed
