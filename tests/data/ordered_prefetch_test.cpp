#include "data/ordered_prefetch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <string>

namespace au::data {
namespace {

// Sleeps a pseudo-random few hundred microseconds so that workers finish out of order.
void jitter(int64_t step) {
  std::mt19937 rng(static_cast<unsigned>(step));
  std::this_thread::sleep_for(std::chrono::microseconds(rng() % 400));
}

TEST(OrderedPrefetch, DeliversEveryStepInOrderWhateverOrderTheWorkersFinishIn) {
  OrderedPrefetch<std::string> prefetch(
      [](int64_t step) {
        jitter(step);
        return "step " + std::to_string(step);
      },
      5, 105, 4, 6);
  for (int64_t step = 5; step < 105; ++step) {
    auto item = prefetch.next();
    ASSERT_TRUE(item.has_value());
    EXPECT_EQ(*item, "step " + std::to_string(step));
  }
  EXPECT_FALSE(prefetch.next().has_value());
  EXPECT_FALSE(prefetch.next().has_value());
}

TEST(OrderedPrefetch, NeverBuildsMoreThanPrefetchStepsAheadOfTheConsumer) {
  constexpr int kPrefetch = 3;
  std::atomic<int64_t> delivered{0};  // steps the consumer has taken
  std::atomic<int64_t> worst_lead{0};
  OrderedPrefetch<int64_t> prefetch(
      [&](int64_t step) {
        const int64_t lead = step - delivered.load();
        int64_t seen = worst_lead.load();
        while (lead > seen && !worst_lead.compare_exchange_weak(seen, lead)) {
        }
        jitter(step);
        return step;
      },
      0, 60, 4, kPrefetch);
  for (int64_t step = 0; step < 60; ++step) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // a slow consumer
    ASSERT_EQ(prefetch.next().value(), step);
    delivered.store(step + 1);
  }
  EXPECT_LE(worst_lead.load(), kPrefetch);  // the consumer counts a step taken just after next()
  EXPECT_GE(worst_lead.load(), 1) << "the workers never ran ahead at all";
}

TEST(OrderedPrefetch, AWorkersErrorReachesTheConsumerAndStopsTheRest) {
  std::atomic<int> built{0};
  OrderedPrefetch<int64_t> prefetch(
      [&](int64_t step) -> int64_t {
        if (step == 7) throw std::runtime_error("shard 3 unreadable");
        built.fetch_add(1);
        return step;
      },
      0, 1000, 3, 4);
  try {
    for (;;) prefetch.next();
    FAIL() << "no error came through";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "shard 3 unreadable");
  }
  EXPECT_THROW(prefetch.next(), std::runtime_error) << "the error stays";
  EXPECT_LT(built.load(), 20) << "workers went on after the error";
}

TEST(OrderedPrefetch, DestroyedMidwayItStopsWithoutBuildingTheRest) {
  std::atomic<int> built{0};
  {
    OrderedPrefetch<int64_t> prefetch(
        [&](int64_t step) {
          built.fetch_add(1);
          jitter(step);
          return step;
        },
        0, 100000, 2, 2);
    EXPECT_EQ(prefetch.next().value(), 0);
  }
  EXPECT_LT(built.load(), 10);
}

TEST(OrderedPrefetch, AnEmptyRangeYieldsNothing) {
  OrderedPrefetch<int> prefetch([](int64_t) -> int { throw std::logic_error("never built"); }, 4, 4,
                                2, 2);
  EXPECT_FALSE(prefetch.next().has_value());
}

}  // namespace
}  // namespace au::data
