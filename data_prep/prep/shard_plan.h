// Cuts the scanned videos into shards of whole videos, assigns cross-validation folds by video,
// and spreads the shards over ranks balanced by frame count. Shard contents never depend on
// the number of ranks; only which rank builds which shard does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/dataset_scan.h"
#include "io/shard_writer.h"

namespace au::prep {

struct PlannedShard {
  std::string split;
  int index = 0;             ///< within the split
  std::string file;          ///< "<split>-<index %05d>.h5"
  std::vector<int> videos;   ///< indices into ShardPlan::videos, in order
  int64_t frames = 0;        ///< sum of the videos' frames
  int64_t images = 0;        ///< sum of the videos' images (the work)
  uint64_t fingerprint = 0;  ///< identifies the content; a shard on disk with another is rebuilt
  int rank = 0;              ///< who builds it
};

struct ShardPlan {
  std::vector<io::VideoEntry> videos;  ///< all splits, split order then name
  std::vector<int> fold;               ///< per video; -1 for test or when folds are off
  int folds = 0;
  std::vector<PlannedShard> shards;
};

struct PlanOptions {
  int64_t shard_frames = 20000;
  int folds = 5;
  io::ShardWriterOptions writer;
};

/// Builds the plan for `ranks` ranks. Deterministic.
ShardPlan makePlan(std::vector<io::VideoEntry> videos, const PlanOptions& options, int ranks);

/// Serialisation for broadcasting the plan from rank 0.
std::string planToJson(const ShardPlan& plan);
ShardPlan planFromJson(const std::string& text);

}  // namespace au::prep
