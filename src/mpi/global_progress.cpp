#include "mpi/global_progress.h"

#include <chrono>
#include <vector>

#include "common/log.h"
#include "mpi/mpi_check.h"
#include "mpi/rank_watch.h"

namespace au::mpi {
namespace {
constexpr int kTagUpdate = 1;
constexpr int kTagFinal = 2;
constexpr double kSendIntervalS = 0.5;
}  // namespace

struct GlobalProgress::Impl {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0;
  int size = 1;
  ProgressMeter meter;
  std::vector<int64_t> counts;  // rank 0: last count heard from each rank
  int finals_left = 0;          // rank 0: ranks whose final count has not arrived
  int64_t outbox = 0;           // non-root: the buffer of the message in flight
  MPI_Request pending = MPI_REQUEST_NULL;
  std::chrono::steady_clock::time_point last_send{};
  RankWatch* watch = nullptr;  // the group's: waits that end on a hung rank

  Impl(std::string what, int64_t total, double interval_s)
      : meter(std::move(what), total, interval_s) {}

  int64_t sum() const {
    int64_t total = 0;
    for (int64_t c : counts) total += c;
    return total;
  }

  // Rank 0: takes in the messages that have arrived; with `wait`, blocks until every rank's
  // final message is in (a rank's final message is its last, and MPI keeps per-sender order).
  void receive(bool wait) {
    while (true) {
      int flag = 0;
      MPI_Status status;
      if (wait && finals_left > 0) {
        watch->waitUntil(
            [&] {
              AU_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &flag, &status));
              return flag != 0;
            },
            "the final progress counts");
      } else {
        AU_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &flag, &status));
      }
      if (!flag) return;
      int64_t value = 0;
      AU_MPI_CHECK(MPI_Recv(&value, 1, MPI_INT64_T, status.MPI_SOURCE, status.MPI_TAG, comm,
                            MPI_STATUS_IGNORE));
      counts[static_cast<size_t>(status.MPI_SOURCE)] = value;
      if (status.MPI_TAG == kTagFinal) --finals_left;
    }
  }
};

GlobalProgress::GlobalProgress(const ProcessGroup& group, std::string what, int64_t total,
                               double interval_s)
    : impl_(std::make_unique<Impl>(std::move(what), total, interval_s)) {
  AU_MPI_CHECK(MPI_Comm_dup(*static_cast<MPI_Comm*>(group.nativeHandle()), &impl_->comm));
  impl_->rank = group.rank();
  impl_->size = group.size();
  impl_->watch = &group.watch();
  impl_->counts.assign(static_cast<size_t>(impl_->size), 0);
  impl_->finals_left = impl_->size - 1;
}

GlobalProgress::~GlobalProgress() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (impl_->pending != MPI_REQUEST_NULL) MPI_Request_free(&impl_->pending);
  MPI_Comm_free(&impl_->comm);
}

void GlobalProgress::update(int64_t done_here) {
  Impl& s = *impl_;
  if (s.rank == 0) {
    s.counts[0] = done_here;
    if (!s.meter.due()) return;
    s.receive(false);
    log::info(s.meter.report(s.sum()));
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - s.last_send).count() < kSendIntervalS) return;
  int done = 1;
  if (s.pending != MPI_REQUEST_NULL) AU_MPI_CHECK(MPI_Test(&s.pending, &done, MPI_STATUS_IGNORE));
  if (!done) return;  // the previous message is still in flight: skip this one
  s.outbox = done_here;
  s.last_send = now;
  AU_MPI_CHECK(MPI_Isend(&s.outbox, 1, MPI_INT64_T, 0, kTagUpdate, s.comm, &s.pending));
}

int64_t GlobalProgress::finish(int64_t done_here) {
  Impl& s = *impl_;
  if (s.rank == 0) {
    s.counts[0] = done_here;
    s.receive(true);
    log::info(s.meter.report(s.sum()));
    return s.sum();
  }
  if (s.pending != MPI_REQUEST_NULL) s.watch->wait(&s.pending, "a progress count to rank 0");
  s.outbox = done_here;
  // Synchronous send: when it completes, rank 0 has matched it, so nothing is left in flight.
  AU_MPI_CHECK(MPI_Issend(&s.outbox, 1, MPI_INT64_T, 0, kTagFinal, s.comm, &s.pending));
  s.watch->wait(&s.pending, "the final progress count to rank 0");
  return done_here;
}

}  // namespace au::mpi
