// Waiting on MPI with a deadline, so that a hung rank (stopped by SIGSTOP or a debugger, a node
// swapping to death) ends the job with its name instead of leaving the others waiting forever.
// When a rank has waited `timeout` seconds in one operation, rank 0 holds a roll call on a
// communicator of its own: every rank that is waiting in any MPI operation, or that calls
// answerRollCall() from long work, answers at once. Ranks that do not answer within a grace
// period (min(timeout, 30 s)) are named and the job ends; if all answer, rank 0 waits on (a
// late rank is not a hung one). A rank other than 0 that hears no roll call for timeout + 2
// grace periods names rank 0 (rank 0 busy outside MPI sends one unasked from answerRollCall).
// Internal to the mpi layer and its users that issue their own MPI operations (the MPI communicator
// of the distributed layer).
#pragma once

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace au::mpi {

class RankWatch {
 public:
  /// Collective over `comm`, whose duplicate carries the roll calls.
  explicit RankWatch(MPI_Comm comm);
  ~RankWatch();
  RankWatch(const RankWatch&) = delete;
  RankWatch& operator=(const RankWatch&) = delete;

  /// Seconds one operation may wait before the roll call; 0 (the default) waits forever.
  void setTimeout(double seconds);
  double timeout() const { return timeout_; }

  /// Completes `request`, an operation that `what` names in messages (e.g. "MPI_Allreduce").
  /// Throws au::Error naming the ranks that did not answer the roll call (rank 0), or naming
  /// rank 0 when it held none (other ranks).
  void wait(MPI_Request* request, const std::string& what);
  /// The same for a condition that `done()` polls (e.g. MPI_Iprobe for an expected message).
  void waitUntil(const std::function<bool()>& done, const std::string& what);
  /// Answers the roll calls rank 0 has sent (cheap when there is none); on rank 0, tells the
  /// others it is alive. Call it from long work between MPI calls.
  void answerRollCall();

 private:
  // Rank 0: asks every other rank to answer; returns the roll call's number.
  int64_t sendRollCall();
  bool rollCall(const std::function<bool()>& done, const std::string& what, int64_t operation,
                double waited);
  double grace() const;

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1;
  double timeout_ = 0;
  int64_t operations_ = 0;  // operations waited for so far (the same count on every rank)
  int64_t roll_calls_ = 0;  // rank 0: roll calls held
  std::chrono::steady_clock::time_point last_roll_call_{};  // the last one heard (rank 0: sent)
};

}  // namespace au::mpi
