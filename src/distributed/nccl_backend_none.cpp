#include "common/error.h"
#include "distributed/nccl_backend.h"

namespace au::distributed {

int ncclVersionBuilt() { return 0; }

std::unique_ptr<Communicator> makeNcclCommunicator(const mpi::ProcessGroup&, torch::Device,
                                                   double) {
  AU_THROW(UsageError, "this build has no NCCL (--dist.backend nccl)");
}

}  // namespace au::distributed
