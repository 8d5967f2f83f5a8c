// Collectives on tensors across the ranks of a job: the interface training codes against, with
// an MPI backend that always exists and an NCCL backend in CUDA builds (make_communicator.h).
#pragma once

#include <torch/types.h>

#include <memory>
#include <string>

namespace au::distributed {

/// An operation in flight. wait() returns once its result may be read on the caller's side
/// (CPU: the tensor holds it; CUDA: the caller's current stream is ordered after it).
class Work {
 public:
  virtual ~Work() = default;
  virtual void wait() = 0;
};

/// Every method is collective: all ranks call it in the same order with tensors of the same
/// shape and dtype. Tensors must be contiguous and live on the communicator's device.
///
/// Threading rule: call it from one thread, and make no other MPI call (a ProcessGroup
/// collective included) while a Work it returned is outstanding. The MPI backend runs its
/// operations on a communication thread under MPI_THREAD_SERIALIZED, which allows one thread in
/// MPI at a time; a duplicated communicator would not lift that. Wait for every Work first
/// (GradientSync::finish() does) and then use the host collectives.
class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// "mpi" or "nccl".
  virtual std::string backend() const = 0;
  /// True when started operations proceed while the caller computes (so overlap pays).
  virtual bool asynchronous() const = 0;

  /// Starts an in-place sum over ranks. Operations complete in the order they were started.
  /// The tensor must stay alive and untouched until wait() returns.
  virtual std::unique_ptr<Work> allreduceSumAsync(torch::Tensor tensor) = 0;
  /// Rank `root`'s values replace every rank's, in place.
  virtual void broadcast(torch::Tensor tensor, int root = 0) = 0;

  /// In-place sum over ranks, done when it returns.
  void allreduceSum(torch::Tensor tensor) { allreduceSumAsync(std::move(tensor))->wait(); }
};

}  // namespace au::distributed
