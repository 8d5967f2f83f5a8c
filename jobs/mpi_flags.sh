#!/usr/bin/env bash
# Prints the flags mpirun needs on this machine for RANKS ranks: the one place that knows them
# (jobs/common.sh's au_launch and the CMake test registration both ask here).
# Usage: jobs/mpi_flags.sh RANKS
#   Open MPI: --allow-run-as-root as root; --oversubscribe for more ranks than cores; --bind-to
#   none for fewer ranks than cores (Open MPI binds each of 1 or 2 ranks to a single core, but
#   with cores to spare a rank's threads should use them). Other MPIs: nothing.
set -euo pipefail
[ $# -eq 1 ] && [[ $1 =~ ^[0-9]+$ ]] || { echo "usage: $0 RANKS" >&2; exit 64; }
ranks=$1
flags=()
if mpirun --version 2> /dev/null | grep -q "Open MPI"; then
  [ "$(id -u)" -eq 0 ] && flags+=(--allow-run-as-root)
  [ "$ranks" -gt "$(nproc)" ] && flags+=(--oversubscribe)
  [ "$ranks" -lt "$(nproc)" ] && flags+=(--bind-to none)
fi
echo "${flags[*]}"
