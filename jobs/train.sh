#!/usr/bin/env bash
# Launches au_train with N ranks under srun (inside Slurm) or mpirun, the same either way.
# Usage: jobs/train.sh RANKS CONFIG RUN_DIR [au_train options...]
# Exit code: au_train's (75 = stopped by a signal after a checkpoint: run again with
# --train.resume to continue; slurm/train.slurm requeues itself on it). The script becomes the
# launcher (exec), so a signal sent to it reaches every rank. Build first: jobs/build.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 3 ] || { echo "usage: $0 RANKS CONFIG RUN_DIR [au_train options...]" >&2; exit 64; }
ranks=$1
config=$2
run_dir=$3
shift 3
au_require_program au_train
mkdir -p "$run_dir"
au_exec "$ranks" "$AU_BIN/au_train" --config "$config" --train.run_dir "$run_dir" "$@"
