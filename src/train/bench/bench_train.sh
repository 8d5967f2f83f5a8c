#!/usr/bin/env bash
# Training throughput on CPU (BENCHMARKS.md): the AU model (FPN + SSH + coordinate attention)
# on IResNet-18 and IResNet-100, random data.
#  - C++ vs Python, 1 process, 2 threads: the same training step with the same torch;
#  - scaling: 1 rank vs 2 ranks at 1 thread each (per-rank batch fixed, so 2 ranks do twice
#    the work), with the share of step time spent waiting for the gradient allreduce.
# Each measurement runs twice, alternating, and keeps the better run (+-10% noise here).
# Usage: src/train/bench/bench_train.sh [STEPS]   (about 15 minutes on 2 cores)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../jobs/common.sh"
steps=${1:-3}
au_build au_bench_train > /dev/null
python=$AU_REPO/.venv/bin/python
here=$AU_REPO/src/train/bench
best() { awk -v a="$1" -v b="$2" 'BEGIN {print (b > a) ? b : a}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "| model | batch per rank | C++ 1x2 threads img/s | Python 1x2 threads img/s | C++ / Python | Python, same malloc settings | C++ / that | 1 rank x 1 thread img/s | 2 ranks x 1 thread img/s | 2-rank efficiency | allreduce share (2 ranks) | buckets | gradients MB | one fused allreduce, 2 ranks (ms) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for depth in 18 100; do
  batch=$([ "$depth" -eq 18 ] && echo 16 || echo 8)
  cpp=0 py=0 pym=0 one=0 two=0 share=0 buckets=0 mb=0 ms=0
  for round in 1 2; do
    read -r _ _ _ _ _ c _ <<< "$("$AU_BIN/au_bench_train" --model.depth "$depth" --bench.batch "$batch" --bench.steps "$steps" --bench.threads 2)"
    read -r _ _ _ _ _ p _ <<< "$("$python" "$here/train_bench.py" --depth "$depth" --batch "$batch" --steps "$steps" --threads 2)"
    read -r _ _ _ _ _ o _ <<< "$(au_launch 1 "$AU_BIN/au_bench_train" --model.depth "$depth" --bench.batch "$batch" --bench.steps "$steps")"
    read -r _ _ _ _ _ t s b g a _ <<< "$(au_launch 2 "$AU_BIN/au_bench_train" --model.depth "$depth" --bench.batch "$batch" --bench.steps "$steps")"
    # Python with glibc settings like au::keepFreedMemoryForReuse, for a like-for-like ratio.
    read -r _ _ _ _ _ m _ <<< "$(MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 "$python" "$here/train_bench.py" --depth "$depth" --batch "$batch" --steps "$steps" --threads 2)"
    cpp=$(best "$cpp" "$c"); py=$(best "$py" "$p"); pym=$(best "$pym" "$m"); one=$(best "$one" "$o")
    if awk -v a="$t" -v b="$two" 'BEGIN {exit !(a > b)}'; then two=$t share=$s buckets=$b mb=$g ms=$a; fi
  done
  eff=$(awk -v a="$two" -v b="$one" 'BEGIN {printf "%.0f%%", 100 * a / (2 * b)}')
  echo "| r$depth AU model | $batch | $cpp | $py | $(ratio "$cpp" "$py") | $pym | $(ratio "$cpp" "$pym") | $one | $two | $eff | $(awk -v s="$share" 'BEGIN {printf "%.1f%%", 100 * s}') | $buckets | $mb | $ms |"
done
