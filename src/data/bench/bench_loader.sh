#!/usr/bin/env bash
# The training input pipeline alone (BENCHMARKS.md): images/s per process of shard reads +
# batch assembly on the demo's shards (uncompressed, chunks of 4 frames, warm page cache), with
# 1 and 2 ranks and 1, 2 and 4 loader threads. What a GPU node needs: 5,000 img/s per GPU.
# Usage: src/data/bench/bench_loader.sh [STEPS]   (a few minutes on 2 cores)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../jobs/common.sh"
steps=${1:-300}
au_build au_synth au_prep au_bench_loader > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$AU_BIN/au_synth" --config "$AU_REPO/configs/demo/synth.ini" --synth.out "$work/data" > /dev/null
au_launch 2 "$AU_BIN/au_prep" --config "$AU_REPO/configs/demo/prep.ini" --data.root "$work/data" \
  --prep.out "$work/shards" > /dev/null 2>&1
cat "$work"/shards/*/*.h5 > /dev/null 2>&1 || cat "$work"/shards/*.h5 > /dev/null  # warm page cache
echo "| ranks | loader threads per rank | batch per rank | images/s per process | images/s, all ranks |"
echo "| --- | --- | --- | --- | --- |"
for ranks in 1 2; do
  for workers in 1 2 4; do
    read -r _ n w b per all <<< "$(au_launch "$ranks" "$AU_BIN/au_bench_loader" --bench.shards "$work/shards" \
      --bench.batch 64 --bench.steps "$steps" --loader.workers "$workers" | grep '^loader')"
    echo "| $n | $w | $b | $per | $all |"
  done
done
