#include "data/distributed_sampler.h"

#include <numeric>

#include "common/error.h"
#include "common/rng.h"

namespace au::data {

DistributedSampler::DistributedSampler(int64_t list_size, int64_t global_batch, int world_size,
                                       int rank, uint64_t seed)
    : list_size_(list_size),
      global_batch_(global_batch),
      world_size_(world_size),
      rank_(rank),
      seed_(seed) {
  AU_CHECK(list_size > 0, "nothing to sample from (empty training set)");
  AU_CHECK(world_size > 0 && rank >= 0 && rank < world_size, "bad rank ", rank, " of ", world_size);
  if (global_batch <= 0 || global_batch % world_size != 0)
    AU_THROW(UsageError, "the global batch (", global_batch,
             ") must be a positive multiple of the number of ranks (", world_size, ")");
}

int64_t DistributedSampler::stepsPerEpoch() const {
  return (list_size_ + global_batch_ - 1) / global_batch_;
}

std::vector<int64_t> DistributedSampler::epochOrder(int64_t epoch) const {
  std::vector<int64_t> order(static_cast<size_t>(list_size_));
  std::iota(order.begin(), order.end(), int64_t{0});
  // Fisher-Yates with au::Rng: the same permutation on every platform and rank.
  Rng rng(seed_, {kSamplerStream, static_cast<uint64_t>(epoch)});
  for (int64_t i = list_size_ - 1; i > 0; --i)
    std::swap(order[static_cast<size_t>(i)], order[rng.below(static_cast<uint64_t>(i + 1))]);
  const int64_t total = stepsPerEpoch() * global_batch_;
  for (int64_t p = list_size_; p < total; ++p)
    order.push_back(order[static_cast<size_t>(p % list_size_)]);
  return order;
}

std::vector<int64_t> DistributedSampler::positions(int64_t step) const {
  AU_CHECK(step >= 0 && step < stepsPerEpoch(), "step ", step, " outside the epoch's ",
           stepsPerEpoch());
  std::vector<int64_t> result(static_cast<size_t>(localBatch()));
  std::iota(result.begin(), result.end(), step * global_batch_ + rank_ * localBatch());
  return result;
}

}  // namespace au::data
