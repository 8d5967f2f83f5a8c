#!/usr/bin/env bash
# The main job on the embedded synthetic dataset: installs what is missing, builds, generates
# the synthetic Aff-Wild2-layout dataset, preprocesses it into HDF5 shards with 2 MPI ranks
# (printing the label table), and trains a small AU model on it with 2 MPI ranks (printing each
# epoch's validation table). Output goes to runs/demo/ (override with AU_DEMO_DIR).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$AU_REPO/jobs/setup.sh"
au_build au_synth au_prep au_train_app

demo=${AU_DEMO_DIR:-$AU_REPO/runs/demo}
mkdir -p "$demo"
echo "== 1. synthetic dataset -> $demo/data"
"$AU_BIN/au_synth" --config "$AU_REPO/configs/demo/synth.ini" --synth.out "$demo/data" --synth.overwrite
echo "== 2. au_prep with 2 MPI ranks -> $demo/shards"
au_launch 2 "$AU_BIN/au_prep" --config "$AU_REPO/configs/demo/prep.ini" \
  --data.root "$demo/data" --prep.out "$demo/shards"
echo "== 3. au_train with 2 MPI ranks (IResNet-18, width 16, 4 short epochs) -> $demo/train"
rm -rf "$demo/train"
bash "$AU_REPO/jobs/train.sh" 2 "$AU_REPO/configs/demo/train.ini" "$demo/train" --train.shards "$demo/shards"
echo "== done: shards in $demo/shards; checkpoints, validation probabilities and metrics in $demo/train"
