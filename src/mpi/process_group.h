// A group of MPI ranks and the host-side collectives the stages need (rank, local rank,
// barrier, allreduce, byte broadcast and gather). No mpi.h here: callers need not include it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace au::mpi {

class RankWatch;

/// A send in flight (ProcessGroup::sendAsync): owns its bytes; wait() or the destructor
/// completes it.
class PendingSend {
 public:
  PendingSend();
  ~PendingSend();
  PendingSend(PendingSend&&) noexcept;
  /// Waits for the send this object held, if any.
  PendingSend& operator=(PendingSend&&);
  void wait();
  /// Lets MPI move the data along (some transports need the sender to call in) without waiting.
  void test();
  struct Impl;

 private:
  friend class ProcessGroup;
  std::unique_ptr<Impl> impl_;
};

/// Wraps a duplicated communicator. Every method marked "collective" must be called by all
/// ranks of the group in the same order with matching arguments.
class ProcessGroup {
 public:
  /// The world group (valid while the MpiSession lives).
  static ProcessGroup world();
  /// A group of this rank alone (not collective), e.g. to compare with a 1-rank run in a test.
  static ProcessGroup self();
  ~ProcessGroup();
  ProcessGroup(ProcessGroup&&) noexcept;
  ProcessGroup& operator=(ProcessGroup&&) noexcept;

  int rank() const;
  int size() const;
  /// Rank among the processes on this node (MPI_COMM_TYPE_SHARED), e.g. to pick a GPU.
  int localRank() const;
  int localSize() const;
  bool isRoot() const { return rank() == 0; }

  /// Collective. Blocks until every rank arrives.
  void barrier() const;
  /// Collective. Element-wise sum / max over ranks, in place.
  void allreduceSum(std::vector<int64_t>& values) const;
  void allreduceSum(std::vector<double>& values) const;
  void allreduceMax(std::vector<int64_t>& values) const;
  int64_t allreduceMax(int64_t value) const;
  /// Collective. Rank `root`'s bytes replace every other rank's `bytes`.
  void broadcast(std::string& bytes, int root = 0) const;
  /// Collective. Returns every rank's bytes on `root` (index = rank), empty elsewhere.
  std::vector<std::string> gather(const std::string& bytes, int root = 0) const;

  /// Point to point (not collective): sends `bytes` to rank `dest` with `tag` (blocking).
  void send(const std::string& bytes, int dest, int tag) const;
  /// Starts sending `bytes` and returns at once (the receiver need not be receiving yet).
  PendingSend sendAsync(std::string bytes, int dest, int tag) const;
  /// Receives a message with `tag` from `source` (-1: any rank; `*from` says which).
  std::string receive(int source, int tag, int* from = nullptr) const;
  /// True when a message with `tag` from any rank is waiting (`*from` says which); never blocks.
  bool probe(int tag, int* from = nullptr) const;

  /// The communicator as an opaque handle, for layers that call MPI directly (e.g. dist).
  void* nativeHandle() const;

  /// Hung ranks (mpi/rank_watch.h): every wait of this group (collectives, receives, sends)
  /// gives up after `seconds` (0, the default: never) and a roll call names the ranks that
  /// are hung; the job then ends. Not collective, but every rank must set the same value.
  void setTimeout(double seconds);
  /// Answers a roll call that rank 0 has sent: call it from long work between MPI calls
  /// (several seconds), so that a busy rank is not taken for a hung one.
  void answerRollCall() const;
  /// The watch itself, for code that waits on MPI requests of its own.
  RankWatch& watch() const;

  struct Impl;

 private:
  explicit ProcessGroup(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::mpi
