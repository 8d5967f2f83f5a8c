#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds everything, runs ctest (unit
# tests, MPI tests under mpiexec -n 2 and -n 3, end-to-end tests), then the sanitizer builds
# and the fuzzers (jobs/test_sanitizers.sh; AU_SANITIZERS=no skips them). Extra arguments go
# to ctest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$AU_REPO/jobs/setup.sh"
au_build
cd "$AU_BUILD"
ctest --output-on-failure -j "$(nproc)" "$@"
if [ "${AU_SANITIZERS:-yes}" != no ]; then
  bash "$AU_REPO/jobs/test_sanitizers.sh"
fi
