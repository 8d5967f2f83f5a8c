#include "dist/make_communicator.h"

#include "common/error.h"
#include "common/options.h"
#include "dist/mpi_communicator.h"
#if AU_WITH_NCCL
#include "dist/nccl_communicator.h"
#endif

namespace au::dist {

void describe(OptionSet& options, CommunicatorOptions& comm) {
  options.add("dist.backend", &comm.backend,
              "collectives: auto (NCCL on GPUs when built with it, else MPI), mpi or nccl");
  options.add("dist.timeout_s", &comm.timeout_s,
              "NCCL: seconds after which an unfinished collective aborts the job");
  options.addCheck([&comm] {
    if (comm.backend != "auto" && comm.backend != "mpi" && comm.backend != "nccl")
      AU_THROW(UsageError, "--dist.backend must be auto, mpi or nccl, not '", comm.backend, "'");
    if (comm.timeout_s <= 0) AU_THROW(UsageError, "--dist.timeout_s must be positive");
  });
}

std::unique_ptr<Communicator> makeCommunicator(const mpi::ProcessGroup& group, torch::Device device,
                                               const CommunicatorOptions& options) {
  const bool want_nccl = options.backend == "nccl" || (options.backend == "auto" && device.is_cuda());
#if AU_WITH_NCCL
  if (want_nccl) {
    if (!device.is_cuda()) AU_THROW(UsageError, "--dist.backend nccl needs a CUDA device");
    return std::make_unique<NcclCommunicator>(group, device, options.timeout_s);
  }
#else
  if (options.backend == "nccl") AU_THROW(UsageError, "this build has no NCCL (--dist.backend nccl)");
  (void)want_nccl;
#endif
  return std::make_unique<MpiCommunicator>(group);
}

}  // namespace au::dist
