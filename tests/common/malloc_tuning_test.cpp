#include "common/malloc_tuning.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Sanitizer builds (jobs/test_sanitizers.sh) bring an allocator of their own, without mallopt.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define AU_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define AU_SANITIZER_ALLOCATOR 1
#endif
#endif

namespace au {
namespace {

TEST(MallocTuning, LargeBlocksComeFromTheHeapAndStayThereWhenFreed) {
#if defined(AU_SANITIZER_ALLOCATOR)
  GTEST_SKIP() << "a sanitizer's allocator replaces glibc malloc in this build";
#elif defined(__GLIBC__)
  ASSERT_TRUE(keepFreedMemoryForReuse());
  constexpr size_t kBlock = size_t{64} << 20;  // far above glibc's default mmap threshold
  const size_t mapped_before = mallinfo2().hblkhd;
  void* block = std::malloc(kBlock);
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, kBlock);
  EXPECT_EQ(mallinfo2().hblkhd, mapped_before)
      << "the block was mapped on its own, not taken from the heap";
  std::free(block);
  // Freed, it stays in the heap (not trimmed) for the next step's tensors.
  EXPECT_GE(mallinfo2().fordblks, kBlock);
#else
  GTEST_SKIP() << "not glibc";
#endif
}

}  // namespace
}  // namespace au
