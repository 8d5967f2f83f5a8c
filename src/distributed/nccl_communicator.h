// The NCCL backend of Communicator (CUDA builds only): one GPU per rank, the NCCL unique id
// broadcast over MPI, collectives ordered after LibTorch's current CUDA stream, and the NCCL
// communicator aborted when an operation fails or does not finish within the timeout.
#pragma once

#include <memory>

#include "distributed/communicator.h"
#include "mpi/process_group.h"

namespace au::distributed {

class NcclCommunicator : public Communicator {
 public:
  /// Collective over `group`. `device` is this rank's GPU (the caller picks it, usually by
  /// local rank). An operation not done after `timeout_seconds` aborts the communicator and
  /// throws, so a dead peer ends the job instead of hanging it.
  NcclCommunicator(const mpi::ProcessGroup& group, torch::Device device, double timeout_seconds);
  ~NcclCommunicator() override;

  int rank() const override;
  int size() const override;
  std::string backend() const override { return "nccl"; }
  bool asynchronous() const override { return true; }
  std::unique_ptr<Work> allreduceSumAsync(torch::Tensor tensor) override;
  void broadcast(torch::Tensor tensor, int root = 0) override;

  struct Impl;  // public so that in-flight work can share it

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace au::distributed
