// The NCCL backend as this build has it. CMake compiles nccl_backend_nccl.cpp into NCCL builds
// and nccl_backend_none.cpp into the others, so no source holds an #if on NCCL.
#pragma once

#include <torch/types.h>

#include <memory>

#include "distributed/communicator.h"
#include "mpi/process_group.h"

namespace au::distributed {

/// The NCCL version this build links (e.g. 22809), or 0 when it has none.
int ncclVersionBuilt();

/// Collective over `group`: a communicator over NCCL on `device` (a CUDA device), whose
/// operations abort the job after `timeout_s`. Throws UsageError in a build without NCCL.
std::unique_ptr<Communicator> makeNcclCommunicator(const mpi::ProcessGroup& group,
                                                   torch::Device device, double timeout_s);

}  // namespace au::distributed
