// Progress of work spread over ranks, reported by rank 0: every rank posts its count now and
// then with a small non-blocking message; rank 0 adds them up without any collective, so ranks
// with different amounts of work never wait for each other.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/progress.h"
#include "mpi/process_group.h"

namespace au::mpi {

class GlobalProgress {
 public:
  /// Collective (duplicates the communicator). `total` is the job-wide amount of work.
  GlobalProgress(const ProcessGroup& group, std::string what, int64_t total,
                 double interval_s = 2.0);
  ~GlobalProgress();
  /// Records this rank's count; cheap, call after every item. Rank 0 also collects the
  /// other ranks' counts here and logs a line when one is due.
  void update(int64_t done_here);
  /// Collective. Sends the final count and, on rank 0, waits for every rank's final count and
  /// logs the last line. Returns the job-wide total done (on rank 0; this rank's count elsewhere).
  int64_t finish(int64_t done_here);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::mpi
