#!/usr/bin/env bash
# Launches au_prep with N ranks under srun (inside Slurm) or mpirun.
# Usage: jobs/prep.sh N CONFIG [au_prep options...]
# The script becomes the launcher (exec). Build first: jobs/build.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 2 ] || { echo "usage: $0 RANKS CONFIG [au_prep options...]" >&2; exit 64; }
ranks=$1
config=$2
shift 2
au_require_program au_prep
au_exec "$ranks" "$AU_BIN/au_prep" --config "$config" "$@"
