// au_prep's work on every rank: rank 0 scans and plans, every rank builds its shards, rank 0
// gathers the summaries and writes manifest.json.
#pragma once

#include "mpi/process_group.h"
#include "prep/prep_options.h"

namespace au::prep {

/// Collective. Returns the exit code. Throws DataError for bad input before any shard is written.
int runPrep(const mpi::ProcessGroup& world, const PrepOptions& options);

}  // namespace au::prep
