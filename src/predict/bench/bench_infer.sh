#!/usr/bin/env bash
# Inference throughput on CPU (BENCHMARKS.md): au_infer with an ensemble of K = 1, 2, 3 distinct
# checkpoints of the IResNet-18 AU model (width 64, FPN + SSH + coordinate attention), at 1 and
# 2 ranks, on the synthetic test set read from shards. Reports frames/s (au_infer's own count,
# from after model loading to the last video), the ensemble's time against K single-model
# passes (the same frames through one checkpoint), and the share of rank time outside the forward
# passes (reading, filling, smoothing, work exchange, idle), which au_infer measures itself.
# Each measurement runs twice, alternating, and keeps the faster run.
# Usage: src/predict/bench/bench_infer.sh [TEST_VIDEOS]   (about 20 minutes on 2 cores at 16)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../jobs/common.sh"
videos=${1:-16}
au_build au_synth au_prep au_train_app au_infer_app > /dev/null
python=$AU_REPO/.venv/bin/python
work=$(mktemp -d -t au_bench_infer.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$AU_BIN/au_synth" --synth.out "$work/data" --synth.seed 5 --synth.train_videos 2 --synth.validation_videos 1 \
  --synth.test_videos "$videos" --synth.min_frames 60 --synth.max_frames 100 --synth.pair_fraction 0 > /dev/null 2>&1
au_launch 2 "$AU_BIN/au_prep" --data.root "$work/data" --prep.out "$work/shards" > /dev/null 2>&1
# Three distinct checkpoints: the three epochs of one short run (speed does not depend on the weights).
au_launch 2 "$AU_BIN/au_train" --train.shards "$work/shards" --train.run_dir "$work/run" --model.depth 18 \
  --train.epochs 3 --train.max_steps_per_epoch 1 --train.global_batch 8 --train.threads 1 > /dev/null 2>&1
# spec K: AU a takes checkpoint a mod K; windows of 15 frames, so that smoothing costs something.
for k in 1 2 3; do
  "$python" "$AU_REPO/src/predict/bench/make_spec.py" "$work/run" "$k" "$work/spec$k.json"
done

# run RANKS K: "frames/s outside-forward% work-outside-forward% waiting%" of one au_infer run.
run() {
  au_launch "$1" "$AU_BIN/au_infer" --infer.ensemble "$work/spec$2.json" --infer.data "$work/shards" \
    --infer.out "$work/out" --infer.batch 32 > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  local fps forward waiting
  fps=$(grep -o "[0-9.]* frames/s" "$work/log" | tail -1 | cut -d' ' -f1)
  forward=$(grep -o "forward passes [0-9.]*%" "$work/log" | grep -o "[0-9.]*")
  waiting=$(grep -o "waiting for work or idle at the end [0-9.]*%" "$work/log" | grep -o "[0-9.]*")
  awk -v fps="$fps" -v f="$forward" -v w="$waiting" 'BEGIN {printf "%s %.1f%% %.1f%% %.1f%%\n", fps, 100 - f, 100 - f - w, w}'
}
run 1 1 > /dev/null  # warm-up: page cache, and the test set's size for the header
echo "test set: $videos videos, $(grep -o '[0-9]* frames from' "$work/log" | cut -d' ' -f1) frames"
echo
echo "| ranks | K models | frames/s | ensemble time / K single-model passes | outside forward passes | of which reading, filling, smoothing | of which waiting for work, idle at the end |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for ranks in 1 2; do
  single=0
  for k in 1 2 3; do
    best=0 out="" work_share="" wait_share=""
    for round in 1 2; do
      read -r f o x w <<< "$(run "$ranks" "$k")"
      if awk -v a="$f" -v b="$best" 'BEGIN {exit !(a > b)}'; then best=$f out=$o work_share=$x wait_share=$w; fi
    done
    [ "$k" -eq 1 ] && single=$best
    # time per frame of K models / (K x time per frame of one model) = single fps / (K x fps)
    echo "| $ranks | $k | $best | $(awk -v s="$single" -v f="$best" -v k="$k" 'BEGIN {printf "%.3f", s / (k * f)}') | $out | $work_share | $wait_share |"
  done
done
