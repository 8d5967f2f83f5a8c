#!/usr/bin/env bash
# The main job on the embedded synthetic dataset: installs what is missing, builds, generates
# the synthetic Aff-Wild2-layout dataset, and preprocesses it into HDF5 shards with 2 MPI ranks,
# printing the label table. Output goes to runs/demo/ (override with AU_DEMO_DIR).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$AU_REPO/jobs/setup.sh"
au_build au_synth au_prep

demo=${AU_DEMO_DIR:-$AU_REPO/runs/demo}
mkdir -p "$demo"
echo "== 1. synthetic dataset -> $demo/data"
"$AU_BIN/au_synth" --config "$AU_REPO/configs/demo/synth.ini" --synth.out "$demo/data" --synth.overwrite
echo "== 2. au_prep with 2 MPI ranks -> $demo/shards"
au_launch 2 "$AU_BIN/au_prep" --config "$AU_REPO/configs/demo/prep.ini" \
  --data.root "$demo/data" --prep.out "$demo/shards"
echo "== done: shards and manifest.json in $demo/shards"
