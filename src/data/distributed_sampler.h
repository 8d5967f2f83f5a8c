// Which samples each rank trains on at each step. One global permutation per epoch, drawn
// from (seed, epoch) alone, is cut into global batches; rank r takes the r-th slice of each.
// So the global batch, and every sample's augmentation, are the same whatever the number of
// ranks, and a run resumes mid-epoch from a step number.
#pragma once

#include <cstdint>
#include <vector>

namespace au::data {

/// The stream key the sampler gives au::Rng.
constexpr uint64_t kSamplerStream = 0x73616d706c6572ull;  // "sampler"

class DistributedSampler {
 public:
  /// `list_size`: entries of the list sampled from (the ML-ROS index list). Throws UsageError
  /// unless world_size divides global_batch.
  DistributedSampler(int64_t list_size, int64_t global_batch, int world_size, int rank,
                     uint64_t seed);

  /// ceil(list_size / global_batch): the last batch is completed with entries from the start
  /// of the same permutation, so every rank runs the same number of full steps.
  int64_t stepsPerEpoch() const;
  int64_t globalBatch() const { return global_batch_; }
  int64_t localBatch() const { return global_batch_ / world_size_; }

  /// The epoch's order: position p (0 .. stepsPerEpoch() * globalBatch()) -> list entry.
  std::vector<int64_t> epochOrder(int64_t epoch) const;
  /// This rank's global positions in `step`: a contiguous slice of localBatch() positions.
  /// A position identifies a sample within the epoch (augmentation streams use it).
  std::vector<int64_t> positions(int64_t step) const;

 private:
  int64_t list_size_, global_batch_;
  int world_size_, rank_;
  uint64_t seed_;
};

}  // namespace au::data
