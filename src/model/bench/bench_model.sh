#!/usr/bin/env bash
# Model speed, C++ against Python with the same torch on the same machine, interleaved in one
# run: IResNet-100 and the full AU model (r100 + CA + FPN + SSH), forward and forward+backward,
# batch 8 and 32, fp32 and bf16 autocast, 2 threads. Each side runs twice, alternating
# (C++, Python, C++, Python), and keeps its better run: single runs here vary by +-10%.
# The C++ side keeps freed tensor memory for reuse (au::keepFreedMemoryForReuse, what the
# project's programs do); a last column runs Python once with the same glibc settings
# (MALLOC_MMAP_MAX_=0, no trimming) for a like-for-like ratio.
# Prints Markdown for BENCHMARKS.md.
# Usage: src/model/bench/bench_model.sh [ITERATIONS]   (about 25 minutes on 2 cores)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../jobs/common.sh"
iterations=${1:-2}
au_build au_bench_model > /dev/null
python=$AU_REPO/.venv/bin/python
here=$AU_REPO/src/model/bench

echo "| model | mode | batch | precision | C++ images/s | Python images/s | C++ / Python | Python, same malloc settings | C++ / that | parameters (C++ / Python) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for model in r100 aunet; do
  for mode in forward train; do
    for batch in 8 32; do
      for precision in fp32 bf16; do
        args=(--model "$model" --mode "$mode" --batch "$batch" --precision "$precision" --iterations "$iterations")
        crate=0 prate=0
        for round in 1 2; do
          read -r _ _ _ _ _ c cparams <<< "$("$AU_BIN/au_bench_model" "${args[@]/#--/--bench.}")"
          read -r _ _ _ _ _ p pparams <<< "$("$python" "$here/model_bench.py" "${args[@]}")"
          crate=$(awk -v a="$crate" -v b="$c" 'BEGIN {print (b > a) ? b : a}')
          prate=$(awk -v a="$prate" -v b="$p" 'BEGIN {print (b > a) ? b : a}')
        done
        read -r _ _ _ _ _ trate _ <<< "$(MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 "$python" "$here/model_bench.py" "${args[@]}")"
        ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
        echo "| $model | $mode | $batch | $precision | $crate | $prate | $(ratio "$crate" "$prate") | $trate | $(ratio "$crate" "$trate") | $cparams / $pparams |"
      done
    done
  done
done
