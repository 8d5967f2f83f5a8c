#include "distributed/mpi_communicator.h"

#include <mpi.h>

#include <functional>
#include <future>

#include "common/error.h"
#include "common/serial_executor.h"
#include "mpi/mpi_check.h"
#include "mpi/rank_watch.h"

namespace au::distributed {
namespace {

// The MPI type of a dtype MPI can sum natively; other dtypes are summed in float32.
bool nativeType(torch::ScalarType type, MPI_Datatype* out) {
  switch (type) {
    case torch::kFloat32:
      *out = MPI_FLOAT;
      return true;
    case torch::kFloat64:
      *out = MPI_DOUBLE;
      return true;
    case torch::kInt64:
      *out = MPI_INT64_T;
      return true;
    case torch::kInt32:
      *out = MPI_INT32_T;
      return true;
    default:
      return false;
  }
}

// A host tensor MPI can work on, and how to put the result back into the caller's tensor.
struct Staged {
  torch::Tensor original;
  torch::Tensor host;
  MPI_Datatype type = MPI_FLOAT;
  void finish() {
    if (!host.is_same(original)) original.copy_(host);
  }
};

Staged stage(const torch::Tensor& tensor) {
  AU_CHECK(tensor.is_contiguous(), "communicator tensors must be contiguous");
  Staged s;
  s.original = tensor;
  MPI_Datatype type;
  const bool native = nativeType(tensor.scalar_type(), &type);
  if (tensor.is_cpu() && native) {
    s.host = tensor;
    s.type = type;
    return s;
  }
  const auto host_type = native ? tensor.scalar_type() : torch::kFloat32;
  auto options = torch::TensorOptions().dtype(host_type).pinned_memory(tensor.is_cuda());
  s.host = torch::empty(tensor.sizes(), options);
  s.host.copy_(tensor);
  nativeType(host_type, &s.type);
  return s;
}

class MpiWork : public Work {
 public:
  MpiWork(std::future<void> done, Staged staged)
      : done_(std::move(done)), staged_(std::move(staged)) {}
  void wait() override {
    if (waited_) return;
    waited_ = true;
    done_.get();  // rethrows the communication thread's error
    staged_.finish();
  }

 private:
  std::future<void> done_;
  Staged staged_;
  bool waited_ = false;
};

}  // namespace

struct MpiCommunicator::Impl {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0, size = 1;
  int64_t max_chunk = INT32_MAX;
  mpi::RankWatch* watch = nullptr;  // the group's: a hung rank ends the job, named

  std::unique_ptr<SerialExecutor> thread;  // only when MPI allows calls from another thread

  // Runs `fn` after every operation started before it: on the thread, or right here.
  std::future<void> run(std::function<void()> fn) {
    if (thread) return thread->submit(std::move(fn));
    std::packaged_task<void()> task(std::move(fn));
    auto future = task.get_future();
    task();
    return future;
  }

  // Splits a call over `count` elements into calls of at most max_chunk elements.
  template <typename Fn>
  void chunked(const torch::Tensor& host, Fn&& fn) const {
    const int64_t count = host.numel();
    auto* base = static_cast<char*>(host.data_ptr());
    const int64_t item = host.element_size();
    for (int64_t first = 0; first < count; first += max_chunk) {
      const int64_t n = std::min(max_chunk, count - first);
      fn(base + first * item, static_cast<int>(n));
    }
  }
};

MpiCommunicator::MpiCommunicator(const mpi::ProcessGroup& group, int64_t max_chunk_elements)
    : impl_(std::make_unique<Impl>()) {
  AU_CHECK(max_chunk_elements > 0 && max_chunk_elements <= INT32_MAX,
           "max_chunk_elements must be in 1..INT_MAX");
  impl_->comm = *static_cast<MPI_Comm*>(group.nativeHandle());
  impl_->watch = &group.watch();
  impl_->rank = group.rank();
  impl_->size = group.size();
  impl_->max_chunk = max_chunk_elements;
  int provided = MPI_THREAD_SINGLE;
  AU_MPI_CHECK(MPI_Query_thread(&provided));
  if (provided >= MPI_THREAD_SERIALIZED) impl_->thread = std::make_unique<SerialExecutor>();
}

MpiCommunicator::~MpiCommunicator() = default;

int MpiCommunicator::rank() const { return impl_->rank; }
int MpiCommunicator::size() const { return impl_->size; }
bool MpiCommunicator::asynchronous() const { return impl_->thread != nullptr; }

std::unique_ptr<Work> MpiCommunicator::allreduceSumAsync(torch::Tensor tensor) {
  Staged staged = stage(tensor);
  Impl* impl = impl_.get();
  torch::Tensor host = staged.host;
  const MPI_Datatype type = staged.type;
  auto done = impl->run([impl, host, type] {
    impl->chunked(host, [&](void* data, int count) {
      MPI_Request request;
      AU_MPI_CHECK(MPI_Iallreduce(MPI_IN_PLACE, data, count, type, MPI_SUM, impl->comm, &request));
      impl->watch->wait(&request, "MPI_Allreduce of gradients");
    });
  });
  return std::make_unique<MpiWork>(std::move(done), std::move(staged));
}

void MpiCommunicator::broadcast(torch::Tensor tensor, int root) {
  Staged staged = stage(tensor);
  Impl* impl = impl_.get();
  torch::Tensor host = staged.host;
  const MPI_Datatype type = staged.type;
  MpiWork work(impl->run([impl, host, type, root] {
    impl->chunked(host, [&](void* data, int count) {
      MPI_Request request;
      AU_MPI_CHECK(MPI_Ibcast(data, count, type, root, impl->comm, &request));
      impl->watch->wait(&request, "MPI_Bcast of tensors");
    });
  }),
               std::move(staged));
  work.wait();
}

}  // namespace au::distributed
