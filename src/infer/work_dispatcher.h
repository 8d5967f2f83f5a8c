// Dynamic work distribution over MPI ranks: rank 0 hands out item indices, in the order given
// (e.g. largest video first), to whichever rank asks next, and works on items itself between
// answering requests; so uneven items balance. Which rank does an item is timing-dependent;
// callers make results depend on the item alone.
#pragma once

#include <functional>

#include "mpi/process_group.h"

namespace au::infer {

/// Collective. Calls `process(item)` on some rank for every item 0..count-1, each exactly once.
/// On rank 0, `process` receives a `serve` callback to call often (e.g. after each batch) so
/// that waiting ranks get their next item without delay.
void dispatchWork(const mpi::ProcessGroup& group, int count,
                  const std::function<void(int item, const std::function<void()>& serve)>& process);

}  // namespace au::infer
