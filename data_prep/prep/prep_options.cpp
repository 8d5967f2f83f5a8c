#include "prep/prep_options.h"

#include "common/error.h"
#include "common/options.h"

namespace au::prep {

void describe(OptionSet& options, PrepOptions& prep) {
  io::describe(options, prep.data, "data");
  options.add("prep.out", &prep.out, "output folder for the shards and manifest.json");
  options.add("prep.shard_frames", &prep.shard_frames,
              "target frames per shard (whole videos; independent of the number of ranks)");
  options.add("prep.folds", &prep.folds,
              "cross-validation folds assigned by video over train+validation (0: none)");
  options.add("prep.chunk_frames", &prep.writer.chunk_frames,
              "frames per HDF5 chunk of the images dataset (one read fetches this many)");
  options.add("prep.compression", &prep.writer.compression,
              "gzip level 0-9 for images (0: none; see BENCHMARKS.md for the read cost)");
  options.add("prep.overwrite", &prep.overwrite,
              "rebuild every shard even when a complete one from the same plan exists");
  options.add("prep.progress_interval", &prep.progress_interval_s,
              "seconds between progress lines on rank 0");
  options.addCheck([&prep] {
    if (prep.shard_frames < 1) AU_THROW(UsageError, "--prep.shard_frames must be at least 1");
    if (prep.folds < 0 || prep.folds == 1)
      AU_THROW(UsageError, "--prep.folds must be 0 (none) or at least 2, not ", prep.folds);
    if (prep.writer.chunk_frames < 1)
      AU_THROW(UsageError, "--prep.chunk_frames must be at least 1");
    if (prep.writer.compression < 0 || prep.writer.compression > 9)
      AU_THROW(UsageError, "--prep.compression must be 0..9, not ", prep.writer.compression);
    if (prep.out.empty()) AU_THROW(UsageError, "--prep.out must name a folder");
  });
}

}  // namespace au::prep
