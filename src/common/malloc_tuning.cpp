#include "common/malloc_tuning.h"

#include <cstdlib>  // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace au {

bool keepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  // Serve every block from the heap: mallopt caps the mmap threshold at 32 MiB, below a batch's
  // largest activations (32 x 64 x 112 x 112 fp32 = 103 MB), so mmap is switched off instead.
  const bool mmap_ok = mallopt(M_MMAP_MAX, 0) == 1;
  // Never trim the heap top: the next step needs the same memory again.
  const bool trim_ok = mallopt(M_TRIM_THRESHOLD, -1) == 1;
  return mmap_ok && trim_ok;
#else
  return false;
#endif
}

}  // namespace au
