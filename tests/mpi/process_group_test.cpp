#include "mpi/process_group.h"

#include <gtest/gtest.h>

#include <string>

namespace au::mpi {
namespace {

TEST(ProcessGroup, RanksAndLocalRanks) {
  ProcessGroup world = ProcessGroup::world();
  EXPECT_GE(world.size(), 2) << "run under mpiexec -n 2 or more";
  EXPECT_GE(world.rank(), 0);
  EXPECT_LT(world.rank(), world.size());
  // All test ranks run on this one node.
  EXPECT_EQ(world.localSize(), world.size());
  EXPECT_EQ(world.localRank(), world.rank());
  EXPECT_EQ(world.isRoot(), world.rank() == 0);
}

TEST(ProcessGroup, AllreduceSumAndMax) {
  ProcessGroup world = ProcessGroup::world();
  const int n = world.size();
  std::vector<int64_t> values{world.rank(), 1, int64_t{1} << 40};
  world.allreduceSum(values);
  EXPECT_EQ(values[0], n * (n - 1) / 2);
  EXPECT_EQ(values[1], n);
  EXPECT_EQ(values[2], n * (int64_t{1} << 40));
  std::vector<double> d{0.5 * world.rank()};
  world.allreduceSum(d);
  EXPECT_DOUBLE_EQ(d[0], 0.5 * n * (n - 1) / 2);
  EXPECT_EQ(world.allreduceMax(static_cast<int64_t>(world.rank() * 10)), (n - 1) * 10);
}

TEST(ProcessGroup, BroadcastBytesOfAnyLength) {
  ProcessGroup world = ProcessGroup::world();
  std::string payload = world.isRoot() ? std::string("plan\0with\0zeros", 15) : "stale";
  world.broadcast(payload);
  EXPECT_EQ(payload, std::string("plan\0with\0zeros", 15));
  std::string big = world.rank() == 1 ? std::string(1 << 20, 'x') : std::string();
  world.broadcast(big, 1);
  EXPECT_EQ(big.size(), size_t{1} << 20);
  std::string empty = world.isRoot() ? "" : "not empty";
  world.broadcast(empty);
  EXPECT_TRUE(empty.empty());
}

TEST(ProcessGroup, GatherCollectsEveryRanksBytesInRankOrder) {
  ProcessGroup world = ProcessGroup::world();
  const std::string mine(static_cast<size_t>(world.rank()), static_cast<char>('a' + world.rank()));
  const auto all = world.gather(mine);
  if (world.isRoot()) {
    ASSERT_EQ(all.size(), static_cast<size_t>(world.size()));
    for (int r = 0; r < world.size(); ++r)
      EXPECT_EQ(all[static_cast<size_t>(r)],
                std::string(static_cast<size_t>(r), static_cast<char>('a' + r)));
  } else {
    EXPECT_TRUE(all.empty());
  }
  world.barrier();
}

// Every rank sends a large message (rendezvous size) to the next before anyone receives: with
// blocking sends this ring would deadlock; sendAsync returns at once and completes on wait().
TEST(ProcessGroup, AsyncSendsDoNotWaitForTheReceiver) {
  ProcessGroup world = ProcessGroup::world();
  const int next = (world.rank() + 1) % world.size(),
            previous = (world.rank() + world.size() - 1) % world.size();
  std::string big(4 << 20, static_cast<char>('a' + world.rank()));
  PendingSend pending = world.sendAsync(big, next, 55);
  const std::string got = world.receive(previous, 55);
  pending.wait();
  pending.wait();  // a second wait is harmless
  EXPECT_EQ(got, std::string(4 << 20, static_cast<char>('a' + previous)));
}

}  // namespace
}  // namespace au::mpi
