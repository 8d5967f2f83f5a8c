# Shared by the jobs/ launchers (source it): the repo root, the build folder, and how to start
# N MPI ranks here, under Slurm (srun) or on a workstation (mpirun).

AU_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AU_BUILD=${AU_BUILD:-$AU_REPO/build}
AU_BIN=$AU_BUILD/bin

# au_launch_command N program args...: sets AU_LAUNCH to the command that runs N ranks of
# program. Inside a Slurm job srun places them (set AU_LAUNCHER=mpirun to use mpirun there too);
# elsewhere mpirun with the flags this machine needs (jobs/mpi_flags.sh).
au_launch_command() {
  local n=$1
  shift
  if [ -n "${SLURM_JOB_ID:-}" ] && [ "${AU_LAUNCHER:-srun}" = srun ] && command -v srun > /dev/null; then
    # Steps do not inherit the job's --cpus-per-task on every Slurm version: pass it on. A rank
    # that fails ends the step, so no rank waits for it in a collective until the time limit.
    AU_LAUNCH=(srun --mpi="${AU_SRUN_MPI:-pmix}" --kill-on-bad-exit=1 -n "$n"
               ${SLURM_CPUS_PER_TASK:+--cpus-per-task="$SLURM_CPUS_PER_TASK"} "$@")
    return
  fi
  local flags
  read -r -a flags <<< "$(bash "$AU_REPO/jobs/mpi_flags.sh" "$n")"
  AU_LAUNCH=(mpirun -n "$n" "${flags[@]}" "$@")
}

# au_launch N program args...: runs N ranks of program and returns their exit code.
au_launch() {
  au_launch_command "$@"
  "${AU_LAUNCH[@]}"
}

# au_exec N program args...: becomes the launcher of N ranks (exec), so that a signal to this
# process reaches srun or mpirun, which hand it to every rank.
au_exec() {
  au_launch_command "$@"
  exec "${AU_LAUNCH[@]}"
}

# au_require_program NAME: exits 64 with what to do when build/bin/NAME is missing. Launchers do
# not build: building is its own step (jobs/build.sh), done before jobs are submitted.
au_require_program() {
  [ -x "$AU_BIN/$1" ] || { echo "no $AU_BIN/$1: build first with jobs/build.sh" >&2; exit 64; }
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
