#include "mpi/work_dispatcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace au::mpi {
namespace {

// Uneven items (item 0 is slow), more items than ranks: each item is processed exactly once,
// rank 0 gets every result at its item's index, and on_result sees each item once.
TEST(WorkDispatcher, EveryItemOnceAndEveryResultOnRoot) {
  ProcessGroup world = ProcessGroup::world();
  constexpr int kItems = 23;
  std::vector<int64_t> processed(kItems, 0);
  std::vector<int> seen(kItems, 0);
  const auto results = dispatchWork(
      world, kItems,
      [&](int item, const std::function<void()>& serve) {
        if (item == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        serve();
        ++processed[static_cast<size_t>(item)];
        return "result " + std::to_string(item) + std::string(static_cast<size_t>(item), 'x');
      },
      [&](int item, const std::string& bytes) {
        ++seen[static_cast<size_t>(item)];
        EXPECT_EQ(bytes.substr(0, 7), "result ");
      });
  world.allreduceSum(processed);
  for (int i = 0; i < kItems; ++i) EXPECT_EQ(processed[static_cast<size_t>(i)], 1) << "item " << i;
  if (world.isRoot()) {
    ASSERT_EQ(results.size(), static_cast<size_t>(kItems));
    for (int i = 0; i < kItems; ++i) {
      EXPECT_EQ(results[static_cast<size_t>(i)],
                "result " + std::to_string(i) + std::string(static_cast<size_t>(i), 'x'));
      EXPECT_EQ(seen[static_cast<size_t>(i)], 1);
    }
  } else {
    EXPECT_TRUE(results.empty());
  }
}

// Results large enough to go by rendezvous: rank 0 receives them between its own items while
// workers go on with their reserve items.
TEST(WorkDispatcher, LargeResults) {
  ProcessGroup world = ProcessGroup::world();
  constexpr int kItems = 9;
  const auto results =
      dispatchWork(world, kItems, [&](int item, const std::function<void()>& serve) {
        serve();
        return std::string(static_cast<size_t>(3 << 20) + static_cast<size_t>(item),
                           static_cast<char>('a' + item));
      });
  if (world.isRoot()) {
    ASSERT_EQ(results.size(), static_cast<size_t>(kItems));
    for (int i = 0; i < kItems; ++i)
      EXPECT_EQ(results[static_cast<size_t>(i)],
                std::string(static_cast<size_t>(3 << 20) + static_cast<size_t>(i),
                            static_cast<char>('a' + i)));
  }
}

TEST(WorkDispatcher, FewerItemsThanRanksAndNone) {
  ProcessGroup world = ProcessGroup::world();
  for (const int count : {0, 1}) {
    std::vector<int64_t> processed(1, 0);
    const auto results = dispatchWork(world, count, [&](int, const std::function<void()>&) {
      ++processed[0];
      return std::string("r");
    });
    world.allreduceSum(processed);
    EXPECT_EQ(processed[0], count);
    if (world.isRoot()) {
      EXPECT_EQ(results.size(), static_cast<size_t>(count));
    }
  }
}

}  // namespace
}  // namespace au::mpi
