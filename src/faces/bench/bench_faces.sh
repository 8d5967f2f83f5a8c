#!/usr/bin/env bash
# The own-video path's speed on CPU (BENCHMARKS.md): au_bench_faces on the real test videos
# (frames scaled to 640x360; decoding, finding + tracking faces, warping, and what searching
# the whole frame only every k frames costs in accuracy), then au_video end to end on one rank
# (2 threads) with an ensemble of one IResNet-18 AU model (width 64), without and with a video
# reference face, whose log gives each stage's frames/s, the ensemble's included.
# Usage: src/faces/bench/bench_faces.sh   (about 5 minutes on 2 cores)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../jobs/common.sh"
au_build au_synth au_prep au_train_app au_select au_video au_bench_faces > /dev/null
real=$AU_REPO/../shared/testdata/real
work=$(mktemp -d -t au_bench_faces.XXXXXX)
trap 'rm -rf "$work"' EXIT

for video in WolfgangLanger_Pexels.mp4 single_face.mp4 face_noface.mov; do
  "$AU_BIN/au_bench_faces" --bench.video "$real/$video"
  echo
done

# An IResNet-18 checkpoint (one step; speed does not depend on the weights) and its spec.
"$AU_BIN/au_synth" --synth.out "$work/data" --synth.seed 5 --synth.train_videos 2 --synth.validation_videos 1 \
  --synth.test_videos 1 --synth.min_frames 60 --synth.max_frames 60 > /dev/null 2>&1
au_launch 2 "$AU_BIN/au_prep" --data.root "$work/data" --prep.out "$work/shards" > /dev/null 2>&1
au_launch 2 "$AU_BIN/au_train" --train.shards "$work/shards" --train.run_dir "$work/run" --model.depth 18 \
  --train.epochs 1 --train.max_steps_per_epoch 1 --train.global_batch 8 --train.threads 1 > /dev/null 2>&1
"$AU_BIN/au_select" --select.runs "$work/run" --select.out "$work/spec.json" > /dev/null 2>&1
# The same model trained with a video reference face (each track's median face, a pass of its own).
au_launch 2 "$AU_BIN/au_train" --train.shards "$work/shards" --train.run_dir "$work/vref" --model.depth 18 \
  --model.video_reference true --train.epochs 1 --train.max_steps_per_epoch 1 --train.global_batch 8 \
  --train.threads 1 > /dev/null 2>&1
"$AU_BIN/au_select" --select.runs "$work/vref" --select.out "$work/vref.json" > /dev/null 2>&1
mkdir "$work/in"
ln -s "$real/WolfgangLanger_Pexels.mp4" "$work/in/"
for spec in spec vref; do
  au_launch 1 "$AU_BIN/au_video" --video.ensemble "$work/$spec.json" --video.in "$work/in" --video.out "$work/out_$spec" \
    --video.threads 2 > "$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  echo "au_video, WolfgangLanger_Pexels.mp4, 1 rank x 2 threads, IResNet-18 (width 64) ensemble of 1$([ $spec = vref ] && echo ", video reference"):"
  grep -E "^\S+ \[r0/1\] INFO  \|" "$work/log" | sed 's/^.*INFO  //'
  grep -o "per rank, frames/s.*" "$work/log"
done
