#include "common/cpu_threads.h"

#include <sched.h>

#include <algorithm>
#include <thread>

namespace au {

int usableCpus() {
#ifdef CPU_COUNT
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
#endif
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

int defaultThreads(int ranks_on_node) {
  const int node = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const int mine = usableCpus();
  if (mine < node) return mine;
  return std::max(1, node / std::max(1, ranks_on_node));
}

}  // namespace au
