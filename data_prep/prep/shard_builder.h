// Builds one planned shard: decodes its frames, writes them under a temporary name and renames
// the file when complete. A complete shard from the same plan is reused instead.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "prep/prep_options.h"
#include "prep/shard_plan.h"
#include "prep/shard_summary.h"

namespace au::prep {

struct BuildResult {
  ShardSummary summary;   ///< without its checksum (see ShardCommitter)
  std::string path;       ///< the shard's final name
  std::string temporary;  ///< where the new shard is, until committed; empty when reused
  bool reused = false;    ///< a complete shard with the same fingerprint was already there
  int64_t resized = 0;    ///< images that were not 112x112
};

/// Called after each frame written, with this call's frame count so far.
using FrameCallback = std::function<void(int64_t frames_written)>;

/// Writes `shard` complete under a temporary name in options.out (or finds a reusable one).
/// The caller commits it with a ShardCommitter. Throws DataError if an annotation file
/// changed since the plan was made.
BuildResult buildShard(const ShardPlan& plan, const PlannedShard& shard, const PrepOptions& options,
                       const FrameCallback& on_frame);

}  // namespace au::prep
