#include "distributed/nccl_communicator.h"

#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime.h>
#include <nccl.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "common/error.h"

#define AU_NCCL_CHECK(call)                                                                       \
  do {                                                                                            \
    const ncclResult_t au_nccl_rc_ = (call);                                                      \
    if (au_nccl_rc_ != ncclSuccess)                                                               \
      throw ::au::Error(::au::detail::concat(#call, " failed at ", __FILE__, ":", __LINE__, ": ", \
                                             ncclGetErrorString(au_nccl_rc_)));                   \
  } while (0)

namespace au::distributed {
namespace {

ncclDataType_t ncclType(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat32:
      return ncclFloat32;
    case torch::kFloat64:
      return ncclFloat64;
    case torch::kFloat16:
      return ncclFloat16;
    case torch::kBFloat16:
      return ncclBfloat16;
    case torch::kInt64:
      return ncclInt64;
    case torch::kInt32:
      return ncclInt32;
    case torch::kUInt8:
      return ncclUint8;
    case torch::kInt8:
      return ncclInt8;
    default:
      AU_THROW(Error, "NCCL cannot reduce tensors of type ", type);
  }
}

}  // namespace

struct NcclCommunicator::Impl {
  ncclComm_t comm = nullptr;
  int rank = 0, size = 1;
  torch::Device device{torch::kCUDA, 0};
  double timeout = 600;
  bool aborted = false;
  // Collectives run on their own stream, ordered after the caller's stream by an event, so
  // that gradient buckets can be reduced while backward goes on.
  c10::cuda::CUDAStream stream = c10::cuda::getStreamFromPool(/*isHighPriority=*/true);

  // Waits on the host until `event` completes, watching for NCCL errors and the timeout.
  void waitFor(at::cuda::CUDAEvent& event, const char* what) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    while (!event.query()) {
      ncclResult_t async_error = ncclSuccess;
      AU_NCCL_CHECK(ncclCommGetAsyncError(comm, &async_error));
      if (async_error != ncclSuccess) abortWith(what, ncclGetErrorString(async_error));
      if (std::chrono::steady_clock::now() > deadline)
        abortWith(what, "timed out (a peer rank died or stopped calling collectives)");
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }

  [[noreturn]] void abortWith(const char* what, const std::string& why) {
    if (!aborted) ncclCommAbort(comm);
    aborted = true;
    AU_THROW(Error, "NCCL ", what, " on rank ", rank, ": ", why);
  }
};

namespace {
class NcclWork : public Work {
 public:
  NcclWork(std::shared_ptr<NcclCommunicator::Impl> impl, torch::Tensor tensor,
           at::cuda::CUDAEvent done)
      : impl_(std::move(impl)), tensor_(std::move(tensor)), done_(std::move(done)) {}
  void wait() override {
    if (waited_) return;
    waited_ = true;
    impl_->waitFor(done_, "allreduce");
    done_.block(c10::cuda::getCurrentCUDAStream(impl_->device.index()));
  }

 private:
  std::shared_ptr<NcclCommunicator::Impl> impl_;
  torch::Tensor tensor_;  // kept alive until the collective is done
  at::cuda::CUDAEvent done_;
  bool waited_ = false;
};
}  // namespace

NcclCommunicator::NcclCommunicator(const mpi::ProcessGroup& group, torch::Device device,
                                   double timeout_seconds) {
  AU_CHECK(device.is_cuda() && device.has_index(), "NCCL needs a CUDA device with an index");
  c10::cuda::CUDAGuard guard(device);
  impl_ = std::make_shared<Impl>();
  impl_->rank = group.rank();
  impl_->size = group.size();
  impl_->device = device;
  impl_->timeout = timeout_seconds;
  ncclUniqueId id;
  if (group.isRoot()) AU_NCCL_CHECK(ncclGetUniqueId(&id));
  std::string bytes(reinterpret_cast<const char*>(&id), sizeof id);
  group.broadcast(bytes);
  AU_CHECK(bytes.size() == sizeof id, "NCCL unique id broadcast returned ", bytes.size(), " bytes");
  std::memcpy(&id, bytes.data(), sizeof id);
  AU_NCCL_CHECK(ncclCommInitRank(&impl_->comm, impl_->size, id, impl_->rank));
}

NcclCommunicator::~NcclCommunicator() {
  if (impl_ && impl_->comm && !impl_->aborted) ncclCommDestroy(impl_->comm);
}

int NcclCommunicator::rank() const { return impl_->rank; }
int NcclCommunicator::size() const { return impl_->size; }

std::unique_ptr<Work> NcclCommunicator::allreduceSumAsync(torch::Tensor tensor) {
  AU_CHECK(tensor.is_cuda() && tensor.is_contiguous(),
           "NCCL tensors must be contiguous CUDA tensors");
  c10::cuda::CUDAGuard guard(impl_->device);
  at::cuda::CUDAEvent ready;
  ready.record(c10::cuda::getCurrentCUDAStream(impl_->device.index()));
  ready.block(impl_->stream);
  AU_NCCL_CHECK(ncclAllReduce(tensor.data_ptr(), tensor.data_ptr(),
                              static_cast<size_t>(tensor.numel()), ncclType(tensor.scalar_type()),
                              ncclSum, impl_->comm, impl_->stream.stream()));
  at::cuda::CUDAEvent done;
  done.record(impl_->stream);
  return std::make_unique<NcclWork>(impl_, std::move(tensor), std::move(done));
}

void NcclCommunicator::broadcast(torch::Tensor tensor, int root) {
  AU_CHECK(tensor.is_cuda() && tensor.is_contiguous(),
           "NCCL tensors must be contiguous CUDA tensors");
  c10::cuda::CUDAGuard guard(impl_->device);
  const auto current = c10::cuda::getCurrentCUDAStream(impl_->device.index());
  AU_NCCL_CHECK(ncclBroadcast(tensor.data_ptr(), tensor.data_ptr(),
                              static_cast<size_t>(tensor.numel()), ncclType(tensor.scalar_type()),
                              root, impl_->comm, current.stream()));
  at::cuda::CUDAEvent done;
  done.record(current);
  impl_->waitFor(done, "broadcast");
}

}  // namespace au::distributed
