// Process exit codes shared by every au-ensemble program and by the jobs/ launchers.
#pragma once

namespace au {

constexpr int kExitOk = 0;          ///< work done
constexpr int kExitFailure = 1;     ///< anything not listed below
constexpr int kExitUsage = 64;      ///< bad command line or configuration (EX_USAGE)
constexpr int kExitDataError = 65;  ///< bad input data (EX_DATAERR)
constexpr int kExitStopped =
    75;  ///< stopped by a signal after a good checkpoint: requeue (EX_TEMPFAIL)

}  // namespace au
