#!/usr/bin/env bash
# Launches au_infer with N ranks under srun (inside Slurm) or mpirun, the same either way.
# Usage: jobs/infer.sh RANKS ENSEMBLE DATA OUT [au_infer options...]
#   ENSEMBLE: the spec au_select wrote; DATA: au_prep's shard folder or a cropped_aligned folder;
#   OUT: gets abaw3/, submission.csv and probabilities.csv.
# The script becomes the launcher (exec). Build first: jobs/build.sh.
# e.g. jobs/infer.sh 2 runs/demo/ensemble.json runs/demo/shards runs/demo/submission \
#        --infer.videos data/.../Action_Unit_Detection_Challenge_test_set_release.txt
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 4 ] || { echo "usage: $0 RANKS ENSEMBLE DATA OUT [au_infer options...]" >&2; exit 64; }
ranks=$1
ensemble=$2
data=$3
out=$4
shift 4
au_require_program au_infer
au_exec "$ranks" "$AU_BIN/au_infer" --infer.ensemble "$ensemble" --infer.data "$data" --infer.out "$out" "$@"
