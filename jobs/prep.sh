#!/usr/bin/env bash
# Launches au_prep with N ranks under srun (inside Slurm) or mpirun.
# Usage: jobs/prep.sh N CONFIG [au_prep options...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 2 ] || { echo "usage: $0 RANKS CONFIG [au_prep options...]" >&2; exit 64; }
ranks=$1
config=$2
shift 2
[ -x "$AU_BIN/au_prep" ] || au_build au_prep
au_launch "$ranks" "$AU_BIN/au_prep" --config "$config" "$@"
