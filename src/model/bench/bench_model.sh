#!/usr/bin/env bash
# Model speed, C++ against Python with the same torch on the same machine, interleaved in one
# run: IResNet-100 and the full AU model (r100 + CA + FPN + SSH), forward and forward+backward,
# batch 8 and 32, fp32 and bf16 autocast, 2 threads. Prints Markdown for BENCHMARKS.md.
# Usage: src/model/bench/bench_model.sh [ITERATIONS]   (about 20 minutes on 2 cores)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../jobs/common.sh"
iterations=${1:-2}
au_build au_bench_model > /dev/null
python=$AU_REPO/.venv/bin/python
here=$AU_REPO/src/model/bench

echo "| model | mode | batch | precision | C++ images/s | Python images/s | C++ / Python | parameters (C++ / Python) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for model in r100 aunet; do
  for mode in forward train; do
    for batch in 8 32; do
      for precision in fp32 bf16; do
        args=(--model "$model" --mode "$mode" --batch "$batch" --precision "$precision" --iterations "$iterations")
        c=$("$AU_BIN/au_bench_model" "${args[@]/#--/--bench.}")
        p=$("$python" "$here/model_bench.py" "${args[@]}")
        read -r _ _ _ _ _ crate cparams <<< "$c"
        read -r _ _ _ _ _ prate pparams <<< "$p"
        ratio=$(awk -v a="$crate" -v b="$prate" 'BEGIN {printf "%.2f", a / b}')
        echo "| $model | $mode | $batch | $precision | $crate | $prate | $ratio | $cparams / $pparams |"
      done
    done
  done
done
