#!/usr/bin/env bash
# A learning test: a small backbone trained for about two minutes with 2 ranks on the demo's
# synthetic dataset must lower its training loss and beat the best constant predictor's mean
# validation F1 by a clear margin (tests/train/check_learning.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
configs=$here/../../configs
work=$(mktemp -d -t au_learning.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$bin/au_synth" --config "$configs/demo/synth.ini" --synth.out "$work/data" > /dev/null
mpi_run 2 "$bin/au_prep" --config "$configs/demo/prep.ini" --data.root "$work/data" --prep.out "$work/shards" \
  > /dev/null 2>&1 || fail "au_prep failed"
mpi_run 2 "$bin/au_train" --config "$configs/demo/train.ini" --train.shards "$work/shards" \
  --train.run_dir "$work/run" > "$work/train.log" 2>&1 || { cat "$work/train.log"; fail "au_train failed"; }
grep "done in" "$work/train.log"
"$python" "$here/check_learning.py" "$work/run" --margin 0.08
