#include "mpi/global_progress.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace au::mpi {
namespace {

TEST(GlobalProgress, RootSumsEveryRanksFinalCount) {
  ProcessGroup world = ProcessGroup::world();
  const int n = world.size();
  // Rank r does r+1 units of work, some ranks slower than others; no collective in between.
  GlobalProgress progress(world, "items", n * (n + 1) / 2, 0.0);
  for (int i = 1; i <= world.rank() + 1; ++i) {
    progress.update(i);
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * (world.rank() + 1)));
  }
  const int64_t total = progress.finish(world.rank() + 1);
  if (world.isRoot()) {
    EXPECT_EQ(total, n * (n + 1) / 2);
  } else {
    EXPECT_EQ(total, world.rank() + 1);
  }
}

TEST(GlobalProgress, ManyUpdatesThenFinishLeaveNothingInFlight) {
  ProcessGroup world = ProcessGroup::world();
  for (int round = 0; round < 3; ++round) {
    GlobalProgress progress(world, "frames", 1000 * world.size(), 0.02);
    for (int i = 1; i <= 1000; ++i) progress.update(i);
    const int64_t total = progress.finish(1000);
    if (world.isRoot()) {
      EXPECT_EQ(total, 1000 * world.size());
    }
  }
  world.barrier();
}

}  // namespace
}  // namespace au::mpi
