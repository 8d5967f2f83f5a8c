#include "prep/shard_committer.h"

#include "common/atomic_file.h"
#include "io/checksum.h"

namespace au::prep {

ShardCommitter::~ShardCommitter() {
  if (in_flight_.valid()) in_flight_.wait();
}

void ShardCommitter::commit(BuildResult& result) {
  wait();
  in_flight_ = std::async(std::launch::async, [&result] {
    if (!result.temporary.empty()) {
      commitTemporary(result.temporary, result.path);
      result.temporary.clear();
    }
    result.summary.crc32c = io::crc32cOfFile(result.path);
  });
}

void ShardCommitter::wait() {
  if (in_flight_.valid()) in_flight_.get();
}

}  // namespace au::prep
