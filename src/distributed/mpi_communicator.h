// The MPI backend of Communicator: CPU tensors directly; CUDA tensors staged through pinned
// host memory (Debian's Open MPI is not CUDA-aware). Asynchronous operations run in order on
// one communication thread when MPI allows it (MPI_THREAD_SERIALIZED), else on the caller.
#pragma once

#include <cstdint>
#include <memory>

#include "distributed/communicator.h"
#include "mpi/process_group.h"

namespace au::distributed {

class MpiCommunicator : public Communicator {
 public:
  /// Uses `group`'s communicator (which must outlive this). MPI counts are ints, so one call
  /// moves at most `max_chunk_elements` elements; larger tensors go in several calls.
  explicit MpiCommunicator(const mpi::ProcessGroup& group, int64_t max_chunk_elements = INT32_MAX);
  ~MpiCommunicator() override;

  int rank() const override;
  int size() const override;
  std::string backend() const override { return "mpi"; }
  std::unique_ptr<Work> allreduceSumAsync(torch::Tensor tensor) override;
  void broadcast(torch::Tensor tensor, int root = 0) override;

  /// True when asynchronous operations run on the communication thread (MPI allows it).
  bool asynchronous() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::distributed
