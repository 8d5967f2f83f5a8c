#include "mpi/rank_watch.h"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/log.h"
#include "mpi/mpi_check.h"

namespace au::mpi {
namespace {
constexpr int kQueryTag = 1;   // 0 -> r: int64 roll call number
constexpr int kAnswerTag = 2;  // r -> 0: int64 roll call number, int64 operations waited for

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", s);
  return text;
}
}  // namespace

RankWatch::RankWatch(MPI_Comm comm) {
  AU_MPI_CHECK(MPI_Comm_dup(comm, &comm_));
  MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
  AU_MPI_CHECK(MPI_Comm_rank(comm_, &rank_));
  AU_MPI_CHECK(MPI_Comm_size(comm_, &size_));
}

RankWatch::~RankWatch() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

void RankWatch::setTimeout(double seconds) {
  AU_CHECK(seconds >= 0, "a rank timeout of ", seconds, " s");
  timeout_ = seconds;
}

double RankWatch::grace() const { return std::min(timeout_, 30.0); }

void RankWatch::wait(MPI_Request* request, const std::string& what) {
  if (timeout_ <= 0 || size_ == 1) {
    AU_MPI_CHECK(MPI_Wait(request, MPI_STATUS_IGNORE));
    return;
  }
  waitUntil(
      [request] {
        int done = 0;
        AU_MPI_CHECK(MPI_Test(request, &done, MPI_STATUS_IGNORE));
        return done != 0;
      },
      what);
}

void RankWatch::waitUntil(const std::function<bool()>& done, const std::string& what) {
  const int64_t operation = ++operations_;
  const auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(timeout_);
  while (!done()) {
    std::this_thread::yield();
    if (timeout_ <= 0 || size_ == 1) continue;
    if (rank_ != 0) {
      answerRollCall();
      // Rank 0 holds a roll call at least every timeout + grace while it waits.
      const double silent = secondsSince(std::max(start, last_roll_call_));
      if (silent > timeout_ + 2 * grace())
        AU_THROW(Error, "rank 0 neither finished ", what, " (operation ", operation,
                 ") nor held a roll call for ", seconds(silent), " (--mpi.timeout_s ", timeout_,
                 "): rank 0 is hung or stopped; ending the job");
    } else if (Clock::now() > deadline) {
      if (rollCall(done, what, operation, secondsSince(start))) return;
      deadline = Clock::now() + std::chrono::duration<double>(timeout_);
    }
  }
}

int64_t RankWatch::sendRollCall() {
  last_roll_call_ = Clock::now();
  const int64_t call = ++roll_calls_;
  for (int r = 1; r < size_; ++r)  // 8 bytes: sent eagerly, even to a stopped rank
    AU_MPI_CHECK(MPI_Send(&call, 1, MPI_INT64_T, r, kQueryTag, comm_));
  return call;
}

bool RankWatch::rollCall(const std::function<bool()>& done, const std::string& what,
                         int64_t operation, double waited) {
  const int64_t call = sendRollCall();
  std::vector<bool> answered(static_cast<size_t>(size_), false);
  answered[0] = true;
  int missing = size_ - 1;
  const auto start = Clock::now();
  while (missing > 0 && secondsSince(start) < grace()) {
    int arrived = 0;
    MPI_Status status;
    AU_MPI_CHECK(MPI_Iprobe(MPI_ANY_SOURCE, kAnswerTag, comm_, &arrived, &status));
    if (arrived) {
      int64_t answer[2] = {0, 0};
      AU_MPI_CHECK(MPI_Recv(answer, 2, MPI_INT64_T, status.MPI_SOURCE, kAnswerTag, comm_,
                            MPI_STATUS_IGNORE));
      const auto from = static_cast<size_t>(status.MPI_SOURCE);
      if (answer[0] == call && !answered[from]) {  // answers to earlier roll calls are stale
        answered[from] = true;
        --missing;
      }
      continue;
    }
    if (done()) return true;
    std::this_thread::yield();
  }
  if (missing == 0) {
    if (waited < 2 * timeout_)  // once per operation
      log::warn("waited ", seconds(waited), " in ", what, " (operation ", operation,
                "); every rank answered the roll call, so some are slow, not hung: waiting on");
    return false;
  }
  std::string names;
  for (int r = 1; r < size_; ++r)
    if (!answered[static_cast<size_t>(r)]) names += (names.empty() ? "" : ", ") + std::to_string(r);
  AU_THROW(Error, missing == 1 ? "rank " : "ranks ", names, " did not answer a roll call within ",
           seconds(grace()), " after rank 0 had waited ", seconds(waited), " in ", what,
           " (operation ", operation, ", --mpi.timeout_s ", timeout_,
           "): hung or stopped (SIGSTOP, a debugger, a dead node); ending the job");
}

void RankWatch::answerRollCall() {
  if (timeout_ <= 0 || size_ == 1) return;
  if (rank_ == 0) {
    // Rank 0 busy outside MPI: an unasked roll call tells the waiting ranks it is alive (their
    // answers are stale by the next real roll call, which skips them).
    if (secondsSince(last_roll_call_) > timeout_ / 2) sendRollCall();
    return;
  }
  for (;;) {
    int arrived = 0;
    AU_MPI_CHECK(MPI_Iprobe(0, kQueryTag, comm_, &arrived, MPI_STATUS_IGNORE));
    if (!arrived) return;
    int64_t call = 0;
    AU_MPI_CHECK(MPI_Recv(&call, 1, MPI_INT64_T, 0, kQueryTag, comm_, MPI_STATUS_IGNORE));
    last_roll_call_ = Clock::now();
    const int64_t answer[2] = {call, operations_};
    AU_MPI_CHECK(MPI_Send(answer, 2, MPI_INT64_T, 0, kAnswerTag, comm_));
  }
}

}  // namespace au::mpi
