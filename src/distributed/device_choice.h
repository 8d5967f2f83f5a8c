// Where a rank computes, chosen the same way by au_train and au_infer: the ranks agree on GPU
// presence first, so that none takes another path than the others.
#pragma once

#include <torch/types.h>

#include <string>

#include "mpi/process_group.h"

namespace au::distributed {

/// Collective. `wanted` is auto, cpu or cuda; with a GPU each rank takes GPU localRank % count.
/// Throws UsageError (naming `option`) for cuda without a GPU, and when some ranks see a GPU
/// and others do not (unless cpu is asked for).
torch::Device chooseDevice(const std::string& wanted, const mpi::ProcessGroup& group,
                           const std::string& option);

}  // namespace au::distributed
