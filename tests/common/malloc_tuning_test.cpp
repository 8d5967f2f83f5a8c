#include "common/malloc_tuning.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace au {
namespace {

TEST(MallocTuning, TakesEffectOnGlibc) {
#if defined(__GLIBC__)
  EXPECT_TRUE(keepFreedMemoryForReuse());
  // Large blocks still allocate and free normally afterwards.
  void* block = std::malloc(size_t{64} << 20);
  ASSERT_NE(block, nullptr);
  std::free(block);
#else
  GTEST_SKIP() << "not glibc";
#endif
}

}  // namespace
}  // namespace au
