// The frame a single-process program's main runs in: options parsed, --help/--dump-config
// printed, errors logged and turned into the documented exit codes. (MPI programs use
// au::mpi::runMain instead.)
#pragma once

#include <functional>

#include "common/options.h"

namespace au {

/// Parses `options` from argv and calls `run`; returns the process exit code.
int runProgram(int argc, char** argv, OptionSet& options, const std::function<int()>& run);

}  // namespace au
