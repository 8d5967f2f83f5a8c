// Dynamic work distribution over MPI ranks: rank 0 hands out item indices, in the order given
// (e.g. largest video first), to whichever rank asks next, and works on items itself between
// answering requests; so uneven items balance. A rank's request for more work carries the
// result of its previous item, so rank 0 holds every result as soon as it is done (progress
// over the whole job, no gather at the end). Which rank does an item is timing-dependent;
// callers make results depend on the item alone.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mpi/process_group.h"

namespace au::mpi {

/// Runs `process(item, serve)` on some rank for every item 0..count-1, each exactly once, and
/// returns on rank 0 every item's result bytes (index = item); empty on other ranks. Call
/// `serve` often (e.g. after each batch): on rank 0 it answers waiting ranks, elsewhere it lets
/// the previous result's transfer progress; `on_result(item, bytes)` runs there as each result
/// arrives, from any rank. Collective.
std::vector<std::string> dispatchWork(
    const ProcessGroup& group, int count,
    const std::function<std::string(int item, const std::function<void()>& serve)>& process,
    const std::function<void(int item, const std::string& result)>& on_result = {});

}  // namespace au::mpi
