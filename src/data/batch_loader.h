// Assembles batches ahead of the training loop on background threads (OrderedPrefetch): image
// reads go to the dataset's I/O thread, finished batches wait in a bounded queue and come out
// in step order, whatever order the threads finish in.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "data/ordered_prefetch.h"
#include "data/shard_dataset.h"

namespace au {
class OptionSet;
}

namespace au::data {

struct LoaderOptions {
  int workers = 2;   ///< threads assembling batches
  int prefetch = 4;  ///< batches ready or in progress ahead of the consumer
};
void describe(OptionSet& options, LoaderOptions& loader);

struct Batch {
  int64_t step = 0;
  std::vector<int64_t> samples;  ///< dataset indices
  torch::Tensor images;          ///< uint8 N x 112 x 112 x 3 (pinned when asked for)
  torch::Tensor labels;          ///< float N x 12: 1, 0 or -1 (unknown)
  torch::Tensor
      references;  ///< uint8 N x 112 x 112 x 3, each sample's video reference (when given)
};

class BatchLoader {
 public:
  /// Yields the batches of steps first_step .. num_steps-1; `samples_of_step` says which
  /// dataset samples make up a step's batch (called on the loader threads). With
  /// `video_references` (videoReferences() of the dataset, kept alive by the caller) each batch
  /// also carries its samples' references.
  BatchLoader(const ShardDataset& dataset,
              std::function<std::vector<int64_t>(int64_t)> samples_of_step, int64_t first_step,
              int64_t num_steps, const LoaderOptions& options, bool pin_memory = false,
              const std::vector<uint8_t>* video_references = nullptr);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  /// The next step's batch, or nullopt after the last. Rethrows a loader thread's error.
  std::optional<Batch> next();

 private:
  std::unique_ptr<OrderedPrefetch<Batch>> prefetch_;
};

}  // namespace au::data
