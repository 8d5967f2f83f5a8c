// Picks the Communicator backend for a device: NCCL for CUDA tensors when the build has it,
// MPI otherwise. The only place that knows which backends were compiled in.
#pragma once

#include <memory>
#include <string>

#include "distributed/communicator.h"
#include "mpi/process_group.h"

namespace au {
class OptionSet;
}

namespace au::distributed {

struct CommunicatorOptions {
  std::string backend = "auto";  ///< auto (nccl on CUDA when built, else mpi), mpi or nccl
  double timeout_s = 600;        ///< NCCL: an operation not done by then aborts the job
};
void describe(OptionSet& options, CommunicatorOptions& comm);

/// Collective over `group`. Throws UsageError when `options.backend` names a backend this
/// build or device cannot use.
std::unique_ptr<Communicator> makeCommunicator(const mpi::ProcessGroup& group, torch::Device device,
                                               const CommunicatorOptions& options);

}  // namespace au::distributed
