#!/usr/bin/env bash
# Memory over video length: for each length N, au_synth writes one training, one validation and
# one test video of N frames each; then au_prep (2 ranks), au_train (2 ranks, 4 steps, then
# validation over the N-frame validation video), au_select and au_infer (2 ranks, from shards
# and from the JPEG folder) run on it, each rank under /usr/bin/time. Prints a table of each
# stage's peak RSS (the larger rank's) per length, and the growth from the shortest to the
# longest. Memory is flat when that growth is the few bytes per frame that the per-frame
# labels and probabilities need, not the images.
#   long_video.sh [N ...]      (default: 10000 100000; about 20 minutes on 2 cores)
# Needs AU_BIN, AU_MPIEXEC_FLAGS (script_env.sh) and /usr/bin/time. AU_LONG_VIDEO_KEEP=DIR
# keeps the work there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
tiny=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../configs/test" && pwd)/train_tiny.ini
lengths=("$@")
[ ${#lengths[@]} -gt 0 ] || lengths=(10000 100000)
[ -x /usr/bin/time ] || fail "needs /usr/bin/time (Debian package time)"
if [ -n "${AU_LONG_VIDEO_KEEP:-}" ]; then
  work=$AU_LONG_VIDEO_KEEP
  mkdir -p "$work"
else
  work=$(mktemp -d -t au_long_video.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
stages=(au_prep au_train au_infer_shards au_infer_jpegs)

# measured NAME N program args...: runs 2 ranks, each under /usr/bin/time; the log and the
# ranks' peak RSS (KiB) go to $work/N/NAME.{log,rss.RANK}.
measured() {
  local name=$1 n=$2
  shift 2
  local out=$work/$n/$name
  local t0=$SECONDS
  mpi_run 2 sh -c 'exec /usr/bin/time -f %M -o "$0.rss.$OMPI_COMM_WORLD_RANK" "$@"' "$out" "$@" \
    > "$out.log" 2>&1 || { tail -n 30 "$out.log"; fail "$name at $n frames"; }
  echo "  $name: $((SECONDS - t0)) s, peak RSS $(($(peak "$name" "$n") / 1024)) MiB" >&2
}
peak() { cat "$work/$2/$1".rss.* | sort -n | tail -n 1; }

for n in "${lengths[@]}"; do
  echo "$n frames per video:" >&2
  dir=$work/$n
  data=$dir/data
  mkdir -p "$dir"
  "$bin/au_synth" --synth.out "$data" --synth.seed 11 --synth.train_videos 1 --synth.validation_videos 1 \
    --synth.test_videos 1 --synth.min_frames "$n" --synth.max_frames "$n" --synth.pair_fraction 0 \
    --synth.overwrite true > "$dir/synth.log" 2>&1 || { cat "$dir/synth.log"; fail "au_synth"; }
  sets=$data/names_of_videos_in_each_test_set
  list=$sets/Action_Unit_Detection_Challenge_test_set_release.txt
  template=$sets/Action_Unit_Detection_Challenge_test_set_template.csv
  measured au_prep "$n" "$bin/au_prep" --data.root "$data" --prep.out "$dir/shards"
  measured au_train "$n" "$bin/au_train" --config "$tiny" --train.shards "$dir/shards" \
    --train.run_dir "$dir/run" --train.epochs 1 --train.max_steps_per_epoch 4
  "$bin/au_select" --select.runs "$dir/run" --select.out "$dir/ensemble.json" > "$dir/select.log" 2>&1 \
    || { cat "$dir/select.log"; fail "au_select"; }
  infer=("$bin/au_infer" --infer.ensemble "$dir/ensemble.json" --infer.videos "$list" --infer.threads 2)
  measured au_infer_shards "$n" "${infer[@]}" --infer.data "$dir/shards" --infer.out "$dir/from_shards"
  measured au_infer_jpegs "$n" "${infer[@]}" --infer.data "$data/cropped_aligned" \
    --infer.template "$template" --infer.out "$dir/from_jpegs"
  # The long video went through whole: every frame in the submission, every validation row.
  rows=$(($(wc -l < "$dir/from_jpegs/submission.csv") - 1))
  [ "$rows" -eq "$n" ] || fail "the submission has $rows rows, not $n"
  cmp -s "$dir/from_shards/probabilities.csv" "$dir/from_jpegs/probabilities.csv" \
    || fail "shards and JPEG folders gave different probabilities at $n frames"
  [ -z "${AU_LONG_VIDEO_KEEP:-}" ] || continue
  rm -rf "$data/cropped_aligned" "$dir/shards"  # the images: 13 GiB at 100,000 frames
done

first=${lengths[0]} last=${lengths[${#lengths[@]} - 1]}
header="| stage |"
rule="| --- |"
for n in "${lengths[@]}"; do
  header+=" $n frames, MiB |"
  rule+=" --- |"
done
echo "$header growth $first to $last, MiB | growth per 10,000 frames, KiB |"
echo "$rule --- | --- |"
for stage in "${stages[@]}"; do
  line="| $stage |"
  for n in "${lengths[@]}"; do line+=" $(($(peak "$stage" "$n") / 1024)) |"; done
  growth=$(($(peak "$stage" "$last") - $(peak "$stage" "$first")))
  echo "$line $((growth / 1024)) | $((growth * 10000 / (last - first))) |"
done
