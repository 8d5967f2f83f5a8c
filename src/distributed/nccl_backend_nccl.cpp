#include <nccl.h>

#include "distributed/nccl_backend.h"
#include "distributed/nccl_communicator.h"

namespace au::distributed {

int ncclVersionBuilt() {
  int version = 0;
  ncclGetVersion(&version);
  return version;
}

std::unique_ptr<Communicator> makeNcclCommunicator(const mpi::ProcessGroup& group,
                                                   torch::Device device, double timeout_s) {
  return std::make_unique<NcclCommunicator>(group, device, timeout_s);
}

}  // namespace au::distributed
