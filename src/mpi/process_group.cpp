#include "mpi/process_group.h"

#include <climits>
#include <utility>

#include "mpi/mpi_check.h"
#include "mpi/rank_watch.h"

namespace au::mpi {

struct ProcessGroup::Impl {
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Comm local = MPI_COMM_NULL;
  int rank = 0;
  int size = 1;
  int local_rank = 0;
  int local_size = 1;
  std::unique_ptr<RankWatch> watch;
  ~Impl() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized) return;
    if (local != MPI_COMM_NULL) MPI_Comm_free(&local);
    if (comm != MPI_COMM_NULL) MPI_Comm_free(&comm);
  }
};

ProcessGroup::ProcessGroup(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProcessGroup::~ProcessGroup() = default;
ProcessGroup::ProcessGroup(ProcessGroup&&) noexcept = default;
ProcessGroup& ProcessGroup::operator=(ProcessGroup&&) noexcept = default;

namespace {
// A group over a duplicate of `base`: its own message space, errors returned, local ranks known.
std::unique_ptr<ProcessGroup::Impl> groupOver(MPI_Comm base) {
  auto impl = std::make_unique<ProcessGroup::Impl>();
  AU_MPI_CHECK(MPI_Comm_dup(base, &impl->comm));
  MPI_Comm_set_errhandler(impl->comm, MPI_ERRORS_RETURN);
  AU_MPI_CHECK(MPI_Comm_rank(impl->comm, &impl->rank));
  AU_MPI_CHECK(MPI_Comm_size(impl->comm, &impl->size));
  AU_MPI_CHECK(MPI_Comm_split_type(impl->comm, MPI_COMM_TYPE_SHARED, impl->rank, MPI_INFO_NULL,
                                   &impl->local));
  AU_MPI_CHECK(MPI_Comm_rank(impl->local, &impl->local_rank));
  AU_MPI_CHECK(MPI_Comm_size(impl->local, &impl->local_size));
  impl->watch = std::make_unique<RankWatch>(impl->comm);
  return impl;
}
}  // namespace

// A duplicate keeps our messages apart from any other library's traffic on MPI_COMM_WORLD.
ProcessGroup ProcessGroup::world() { return ProcessGroup(groupOver(MPI_COMM_WORLD)); }
ProcessGroup ProcessGroup::self() { return ProcessGroup(groupOver(MPI_COMM_SELF)); }

int ProcessGroup::rank() const { return impl_->rank; }
int ProcessGroup::size() const { return impl_->size; }
int ProcessGroup::localRank() const { return impl_->local_rank; }
int ProcessGroup::localSize() const { return impl_->local_size; }
void* ProcessGroup::nativeHandle() const { return static_cast<void*>(&impl_->comm); }
RankWatch& ProcessGroup::watch() const { return *impl_->watch; }
void ProcessGroup::setTimeout(double seconds) { impl_->watch->setTimeout(seconds); }
void ProcessGroup::answerRollCall() const { impl_->watch->answerRollCall(); }

void ProcessGroup::barrier() const {
  MPI_Request request;
  AU_MPI_CHECK(MPI_Ibarrier(impl_->comm, &request));
  impl_->watch->wait(&request, "MPI_Barrier");
}

namespace {
int checkedCount(size_t n) {
  AU_CHECK(n <= static_cast<size_t>(INT_MAX), "host collective of ", n,
           " elements exceeds INT_MAX; split it");
  return static_cast<int>(n);
}

// An in-place allreduce, waited for under the rank watch.
void allreduceInPlace(ProcessGroup::Impl& group, void* values, size_t count, MPI_Datatype type,
                      MPI_Op op) {
  MPI_Request request;
  AU_MPI_CHECK(
      MPI_Iallreduce(MPI_IN_PLACE, values, checkedCount(count), type, op, group.comm, &request));
  group.watch->wait(&request, "MPI_Allreduce");
}
}  // namespace

void ProcessGroup::allreduceSum(std::vector<int64_t>& values) const {
  allreduceInPlace(*impl_, values.data(), values.size(), MPI_INT64_T, MPI_SUM);
}

void ProcessGroup::allreduceSum(std::vector<double>& values) const {
  allreduceInPlace(*impl_, values.data(), values.size(), MPI_DOUBLE, MPI_SUM);
}

void ProcessGroup::allreduceMax(std::vector<int64_t>& values) const {
  allreduceInPlace(*impl_, values.data(), values.size(), MPI_INT64_T, MPI_MAX);
}

int64_t ProcessGroup::allreduceMax(int64_t value) const {
  std::vector<int64_t> values{value};
  allreduceMax(values);
  return values[0];
}

void ProcessGroup::broadcast(std::string& bytes, int root) const {
  int64_t length = static_cast<int64_t>(bytes.size());
  MPI_Request request;
  AU_MPI_CHECK(MPI_Ibcast(&length, 1, MPI_INT64_T, root, impl_->comm, &request));
  impl_->watch->wait(&request, "MPI_Bcast");
  bytes.resize(static_cast<size_t>(length));
  AU_MPI_CHECK(
      MPI_Ibcast(bytes.data(), checkedCount(bytes.size()), MPI_BYTE, root, impl_->comm, &request));
  impl_->watch->wait(&request, "MPI_Bcast");
}

std::vector<std::string> ProcessGroup::gather(const std::string& bytes, int root) const {
  const int length = checkedCount(bytes.size());
  const bool is_root = impl_->rank == root;
  std::vector<int> lengths(is_root ? impl_->size : 0);
  MPI_Request request;
  AU_MPI_CHECK(
      MPI_Igather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, root, impl_->comm, &request));
  impl_->watch->wait(&request, "MPI_Gather");
  std::vector<int> offsets(lengths.size());
  size_t total = 0;
  for (size_t r = 0; r < lengths.size(); ++r) {
    offsets[r] = checkedCount(total);
    total += static_cast<size_t>(lengths[r]);
  }
  checkedCount(total);
  std::string all(total, '\0');
  AU_MPI_CHECK(MPI_Igatherv(bytes.data(), length, MPI_BYTE, all.data(), lengths.data(),
                            offsets.data(), MPI_BYTE, root, impl_->comm, &request));
  impl_->watch->wait(&request, "MPI_Gatherv");
  std::vector<std::string> result;
  for (size_t r = 0; r < lengths.size(); ++r)
    result.push_back(all.substr(static_cast<size_t>(offsets[r]), static_cast<size_t>(lengths[r])));
  return result;
}

void ProcessGroup::send(const std::string& bytes, int dest, int tag) const {
  MPI_Request request;
  AU_MPI_CHECK(MPI_Isend(bytes.data(), checkedCount(bytes.size()), MPI_BYTE, dest, tag, impl_->comm,
                         &request));
  impl_->watch->wait(&request, "a send to rank " + std::to_string(dest));
}

struct PendingSend::Impl {
  std::string bytes;
  MPI_Request request = MPI_REQUEST_NULL;
  RankWatch* watch = nullptr;
  int dest = 0;
};
PendingSend::PendingSend() = default;
PendingSend::~PendingSend() {
  if (!impl_ || impl_->request == MPI_REQUEST_NULL) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Wait(&impl_->request, MPI_STATUS_IGNORE);
}
PendingSend::PendingSend(PendingSend&&) noexcept = default;
PendingSend& PendingSend::operator=(PendingSend&& other) {
  if (this != &other) {
    wait();
    impl_ = std::move(other.impl_);
  }
  return *this;
}
void PendingSend::wait() {
  if (impl_ && impl_->request != MPI_REQUEST_NULL)
    impl_->watch->wait(&impl_->request, "a send to rank " + std::to_string(impl_->dest));
}

void PendingSend::test() {
  int done = 0;
  if (impl_ && impl_->request != MPI_REQUEST_NULL)
    AU_MPI_CHECK(MPI_Test(&impl_->request, &done, MPI_STATUS_IGNORE));
}

PendingSend ProcessGroup::sendAsync(std::string bytes, int dest, int tag) const {
  PendingSend pending;
  pending.impl_ = std::make_unique<PendingSend::Impl>();
  pending.impl_->bytes = std::move(bytes);
  pending.impl_->watch = impl_->watch.get();
  pending.impl_->dest = dest;
  auto& b = pending.impl_->bytes;
  AU_MPI_CHECK(MPI_Isend(b.data(), checkedCount(b.size()), MPI_BYTE, dest, tag, impl_->comm,
                         &pending.impl_->request));
  return pending;
}

std::string ProcessGroup::receive(int source, int tag, int* from) const {
  MPI_Status status;
  const int which = source < 0 ? MPI_ANY_SOURCE : source;
  if (impl_->watch->timeout() <= 0) {
    AU_MPI_CHECK(MPI_Probe(which, tag, impl_->comm, &status));
  } else {
    impl_->watch->waitUntil(
        [&] {
          int arrived = 0;
          AU_MPI_CHECK(MPI_Iprobe(which, tag, impl_->comm, &arrived, &status));
          return arrived != 0;
        },
        source < 0 ? "a message from any rank" : "a message from rank " + std::to_string(source));
  }
  int length = 0;
  AU_MPI_CHECK(MPI_Get_count(&status, MPI_BYTE, &length));
  std::string bytes(static_cast<size_t>(length), '\0');
  AU_MPI_CHECK(MPI_Recv(bytes.data(), length, MPI_BYTE, status.MPI_SOURCE, tag, impl_->comm,
                        MPI_STATUS_IGNORE));
  if (from) *from = status.MPI_SOURCE;
  return bytes;
}

bool ProcessGroup::probe(int tag, int* from) const {
  int waiting = 0;
  MPI_Status status;
  AU_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, tag, impl_->comm, &waiting, &status));
  if (waiting && from) *from = status.MPI_SOURCE;
  return waiting != 0;
}

}  // namespace au::mpi
