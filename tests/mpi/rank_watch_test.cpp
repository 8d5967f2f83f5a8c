// The rank watch on real ranks: with a timeout far shorter than the waits, a rank that is late
// but alive (it answers roll calls) is waited for, and every operation still gives its result.
// (A rank that is really hung ends the job: tests/reliability/hung_rank.sh stops one.)
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mpi/process_group.h"
#include "mpi/work_dispatcher.h"

namespace au::mpi {
namespace {

// Sleeps `seconds` in slices, answering roll calls as long work should.
void busy(const ProcessGroup& group, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    group.answerRollCall();
  }
}

TEST(RankWatch, ALateRankThatAnswersRollCallsIsWaitedFor) {
  ProcessGroup world = ProcessGroup::world();
  // Roll calls every ~1 s, a rank silent for 1.5 s is named: the last rank is 2.5 s late.
  world.setTimeout(0.5);
  if (world.rank() == world.size() - 1) busy(world, 2.5);
  std::vector<int64_t> values{world.rank(), 1};
  world.allreduceSum(values);
  EXPECT_EQ(values[0], world.size() * (world.size() - 1) / 2);
  EXPECT_EQ(values[1], world.size());
  if (world.rank() == 0) busy(world, 2.5);  // now rank 0 is late: it tells the others it lives
  world.barrier();
}

TEST(RankWatch, CollectivesAndMessagesGiveTheirResultsUnderTheWatch) {
  ProcessGroup world = ProcessGroup::world();
  world.setTimeout(5);
  std::string text = world.isRoot() ? "from rank 0" : "";
  world.broadcast(text);
  EXPECT_EQ(text, "from rank 0");
  const auto all = world.gather(std::to_string(world.rank()));
  if (world.isRoot())
    for (int r = 0; r < world.size(); ++r)
      EXPECT_EQ(all[static_cast<size_t>(r)], std::to_string(r));
  const int next = (world.rank() + 1) % world.size();
  const int previous = (world.rank() + world.size() - 1) % world.size();
  PendingSend pending = world.sendAsync(std::string(1 << 20, 'x'), next, 9);
  EXPECT_EQ(world.receive(previous, 9).size(), 1u << 20);
  pending.wait();
  EXPECT_EQ(world.allreduceMax(world.rank()), world.size() - 1);
}

// Items that take longer than the timeout, with serve() called between slices as au_infer
// calls it between batches: rank 0's roll calls are answered and every item comes back.
TEST(RankWatch, TheWorkDispatcherWaitsForLongItemsOfLiveRanks) {
  ProcessGroup world = ProcessGroup::world();
  world.setTimeout(0.5);
  const auto results = dispatchWork(world, 2 * world.size(), [&](int item, const auto& serve) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    while (std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      serve();
    }
    return std::to_string(item);
  });
  if (world.isRoot())
    for (int i = 0; i < 2 * world.size(); ++i)
      EXPECT_EQ(results[static_cast<size_t>(i)], std::to_string(i));
  world.barrier();
}

}  // namespace
}  // namespace au::mpi
