# Shared by the jobs/ launchers (source it): the repo root, the build folder, and how to start
# N MPI ranks here, under Slurm (srun) or on a workstation (mpirun).

AU_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AU_BUILD=${AU_BUILD:-$AU_REPO/build}
AU_BIN=$AU_BUILD/bin

# au_launch N program args...: runs N ranks of program. Inside a Slurm job srun places them
# (set AU_LAUNCHER=mpirun to use mpirun there too); elsewhere mpirun with the flags this
# machine needs (root, more ranks than cores).
au_launch() {
  local n=$1
  shift
  if [ -n "${SLURM_JOB_ID:-}" ] && [ "${AU_LAUNCHER:-srun}" = srun ] && command -v srun > /dev/null; then
    # Steps do not inherit the job's --cpus-per-task on every Slurm version: pass it on.
    srun --mpi="${AU_SRUN_MPI:-pmix}" -n "$n" ${SLURM_CPUS_PER_TASK:+--cpus-per-task="$SLURM_CPUS_PER_TASK"} "$@"
    return
  fi
  local flags=()
  if mpirun --version 2> /dev/null | grep -q "Open MPI"; then
    [ "$(id -u)" -eq 0 ] && flags+=(--allow-run-as-root)
    [ "$n" -gt "$(nproc)" ] && flags+=(--oversubscribe)
    # Open MPI binds each of 1 or 2 ranks to a single core; with fewer ranks than cores the
    # ranks' threads should share all of them.
    [ "$n" -lt "$(nproc)" ] && flags+=(--bind-to none)
  fi
  mpirun -n "$n" "${flags[@]}" "$@"
}

# au_build [targets...]: configures once, then builds (all targets if none are named).
au_build() {
  if [ ! -f "$AU_BUILD/CMakeCache.txt" ]; then
    cmake -S "$AU_REPO" -B "$AU_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$AU_BUILD.configure.log" 2>&1 \
      || { cat "$AU_BUILD.configure.log"; return 1; }
  fi
  local targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$AU_BUILD" -j "$(nproc)" "${targets[@]}"
}
