#include "common/rng.h"

#include <gtest/gtest.h>

#include <cmath>

namespace au {
namespace {

TEST(Rng, SameSeedAndStreamGiveSameSequence) {
  Rng a(42, {1, 2}), b(42, {1, 2}), c(42, {1, 3}), d(43, {1, 2});
  bool differs_c = false, differs_d = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    differs_c |= x != c.next();
    differs_d |= x != d.next();
  }
  EXPECT_TRUE(differs_c);
  EXPECT_TRUE(differs_d);
}

TEST(Rng, KnownFirstValueGuardsAgainstSilentChanges) {
  // Datasets and augmentations are reproduced from seeds: the generator must never change.
  Rng r(2022);
  const uint64_t first = r.next();
  Rng again(2022);
  EXPECT_EQ(first, again.next());
  EXPECT_EQ(first, 0x3240f99fbeb236c4ull) << std::hex << first;
}

TEST(Rng, DistributionsHaveTheRightMoments) {
  Rng r(7);
  const int n = 200000;
  double sum = 0, sum_sq = 0, usum = 0;
  uint64_t below_counts[5] = {0};
  for (int i = 0; i < n; ++i) {
    const double z = r.normal();
    sum += z;
    sum_sq += z * z;
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    usum += u;
    ++below_counts[r.below(5)];
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.02);
  EXPECT_NEAR(usum / n, 0.5, 0.005);
  for (uint64_t c : below_counts) EXPECT_NEAR(static_cast<double>(c) / n, 0.2, 0.01);
}

}  // namespace
}  // namespace au
