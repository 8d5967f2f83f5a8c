#include "common/serial_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace au {
namespace {

TEST(SerialExecutor, RunsOneThreadsJobsInSubmissionOrderOnASingleWorker) {
  SerialExecutor executor;
  std::vector<int> order;  // touched by the worker only
  std::vector<std::future<std::thread::id>> done;
  for (int i = 0; i < 200; ++i)
    done.push_back(executor.submit([&order, i] {
      order.push_back(i);
      return std::this_thread::get_id();
    }));
  const std::thread::id worker = done.front().get();
  EXPECT_NE(worker, std::this_thread::get_id());
  for (size_t i = 1; i < done.size(); ++i) EXPECT_EQ(done[i].get(), worker);
  ASSERT_EQ(order.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(order[i], i);
}

TEST(SerialExecutor, JobsFromManyThreadsNeverOverlap) {
  SerialExecutor executor;
  std::atomic<int> inside{0};
  int overlaps = 0, total = 0;  // written by the worker only: the executor is their lock
  std::vector<std::thread> submitters;
  for (int t = 0; t < 4; ++t)
    submitters.emplace_back([&] {
      std::vector<std::future<void>> mine;
      for (int i = 0; i < 100; ++i)
        mine.push_back(executor.submit([&] {
          if (inside.fetch_add(1) != 0) ++overlaps;
          ++total;
          inside.fetch_sub(1);
        }));
      for (auto& f : mine) f.get();
    });
  for (auto& t : submitters) t.join();
  EXPECT_EQ(executor.submit([&] { return total; }).get(), 400);
  EXPECT_EQ(overlaps, 0);
}

TEST(SerialExecutor, AJobsExceptionReachesItsFutureAndTheWorkerGoesOn) {
  SerialExecutor executor;
  auto failing = executor.submit([]() -> int { throw std::runtime_error("shard unreadable"); });
  auto next = executor.submit([] { return 7; });
  EXPECT_THROW(failing.get(), std::runtime_error);
  EXPECT_EQ(next.get(), 7);
}

TEST(SerialExecutor, DestructionRunsTheJobsStillQueued) {
  std::atomic<int> ran{0};
  {
    SerialExecutor executor;
    for (int i = 0; i < 50; ++i) executor.submit([&ran] { ran.fetch_add(1); });
  }
  EXPECT_EQ(ran.load(), 50);
}

}  // namespace
}  // namespace au
