#include "distributed/make_communicator.h"

#include "common/error.h"
#include "common/options.h"
#include "distributed/mpi_communicator.h"
#include "distributed/nccl_backend.h"

namespace au::distributed {

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
  const bool have_nccl = ncclVersionBuilt() > 0;
  if (options.backend == "nccl" && !have_nccl)
    AU_THROW(UsageError, "this build has no NCCL (--dist.backend nccl)");
  if (options.backend == "nccl" || (options.backend == "auto" && device.is_cuda() && have_nccl)) {
    if (!device.is_cuda()) AU_THROW(UsageError, "--dist.backend nccl needs a CUDA device");
    return makeNcclCommunicator(group, device, options.timeout_s);
  }
  return std::make_unique<MpiCommunicator>(group);
}

}  // namespace au::distributed
