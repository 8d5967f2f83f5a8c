#include "data/distributed_sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "common/error.h"

namespace au::data {
namespace {

// Every rank's positions of every step, mapped through the epoch order.
std::vector<int64_t> unionOfRanks(int64_t n, int64_t batch, int world, int64_t epoch) {
  std::vector<int64_t> all;
  for (int r = 0; r < world; ++r) {
    DistributedSampler s(n, batch, world, r, 42);
    const auto order = s.epochOrder(epoch);
    for (int64_t step = 0; step < s.stepsPerEpoch(); ++step)
      for (int64_t p : s.positions(step)) all.push_back(order[static_cast<size_t>(p)]);
  }
  return all;
}

TEST(DistributedSampler, RanksTogetherCoverOnePermutation) {
  for (int world : {1, 2, 4}) {
    auto all = unionOfRanks(96, 8, world, 3);
    std::sort(all.begin(), all.end());
    std::vector<int64_t> expected(96);
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(all, expected) << world << " ranks";
  }
}

TEST(DistributedSampler, LastBatchIsCompletedFromTheStartOfThePermutation) {
  DistributedSampler s(10, 4, 2, 0, 42);
  EXPECT_EQ(s.stepsPerEpoch(), 3);
  const auto order = s.epochOrder(0);
  ASSERT_EQ(order.size(), 12u);
  std::vector<int64_t> first(order.begin(), order.begin() + 10);
  std::sort(first.begin(), first.end());
  for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(first[static_cast<size_t>(i)], i);
  EXPECT_EQ(order[10], order[0]);
  EXPECT_EQ(order[11], order[1]);
}

TEST(DistributedSampler, GlobalBatchesDoNotDependOnTheNumberOfRanks) {
  const DistributedSampler one(50, 8, 1, 0, 7), two(50, 8, 2, 1, 7);
  EXPECT_EQ(one.epochOrder(2), two.epochOrder(2));
  EXPECT_EQ(two.localBatch(), 4);
  EXPECT_EQ(two.positions(3), (std::vector<int64_t>{28, 29, 30, 31}));  // rank 1's half of step 3
}

TEST(DistributedSampler, EpochsAndSeedsGiveOtherOrders) {
  const DistributedSampler a(100, 10, 1, 0, 1), b(100, 10, 1, 0, 2);
  EXPECT_NE(a.epochOrder(0), a.epochOrder(1));
  EXPECT_NE(a.epochOrder(0), b.epochOrder(0));
  EXPECT_EQ(a.epochOrder(5), DistributedSampler(100, 10, 1, 0, 1).epochOrder(5));
}

TEST(DistributedSampler, RejectsABatchRanksCannotShare) {
  EXPECT_THROW(DistributedSampler(100, 10, 3, 0, 1), UsageError);
  EXPECT_THROW(DistributedSampler(0, 10, 1, 0, 1), Error);
}

}  // namespace
}  // namespace au::data
