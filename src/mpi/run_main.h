// The frame every MPI program's main runs in: options parsed on every rank, errors turned
// into the documented exit codes, and MPI_Abort when one rank fails so none hangs.
#pragma once

#include <functional>

#include "common/options.h"
#include "mpi/process_group.h"

namespace au::mpi {

/// Starts MPI, parses `options` from argv on every rank (rank 0 prints --help/--dump-config
/// and usage errors; all ranks then exit with the same code), then calls `run` on every rank.
/// An exception from `run` is logged by the rank that threw it and ends the whole job with
/// the error's exit code. Returns the process exit code.
int runMain(int argc, char** argv, OptionSet& options,
            const std::function<int(ProcessGroup& world)>& run);

}  // namespace au::mpi
