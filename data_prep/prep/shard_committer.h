// Finishes written shards in the background: flush to disk, rename to the final name, take the
// file checksum. Waiting for the disk then overlaps with decoding the next shard. Uses no
// HDF5 (which must stay on one thread), only POSIX file calls.
#pragma once

#include <future>
#include <string>

#include "prep/shard_builder.h"

namespace au::prep {

class ShardCommitter {
 public:
  /// Waits for the work in flight (errors there are lost if wait() was not called).
  ~ShardCommitter();
  /// Starts committing `result` (it must outlive wait()); waits first for the previous one,
  /// so at most one shard is in flight.
  void commit(BuildResult& result);
  /// Waits for the shard in flight; rethrows its error.
  void wait();

 private:
  std::future<void> in_flight_;
};

}  // namespace au::prep
