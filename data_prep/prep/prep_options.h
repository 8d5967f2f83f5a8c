// Options of au_prep: where the dataset is, where the shards go, and how they are cut.
#pragma once

#include <string>

#include "io/dataset_paths.h"
#include "io/shard_writer.h"

namespace au {
class OptionSet;
}

namespace au::prep {

struct PrepOptions {
  io::DatasetPaths data;
  std::string out = "shards/synthetic";  ///< output folder: shards and manifest.json
  /// Target frames per shard. Shards hold whole videos and never depend on the number of ranks;
  /// ranks take whole shards, so use at least a few shards per rank.
  long long shard_frames = 20000;
  int folds = 5;  ///< cross-validation folds over train+validation videos (0: none)
  io::ShardWriterOptions writer;
  bool overwrite = false;  ///< rebuild shards even if a complete one with the same plan exists
  double progress_interval_s = 5.0;
};

void describe(OptionSet& options, PrepOptions& prep);

}  // namespace au::prep
