#!/usr/bin/env bash
# Awkward but valid video names through every stage: a training video "vidéo 4 ü (test)", a
# validation video "validé 7" and a test video "Ünïcode 10 名前" (spaces, accents, CJK). au_prep
# shards them (2 ranks), au_train validates on them, au_select tunes on them, au_infer predicts
# from shards and from JPEG folders (the same probabilities) and writes both submission
# formats, au_check accepts the submission and au_eval scores it. Then a test video whose every
# frame lacks a face, and a name with a comma (the CSV files cannot hold it: au_prep refuses it
# with exit 65 naming the file).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../train/make_data.sh"
tiny=$(dirname "${BASH_SOURCE[0]}")/../../configs/test/train_tiny.ini
work=$(mktemp -d -t au_awkward_names.XXXXXX)
trap 'rm -rf "$work"' EXIT
make_train_data "$work"
data=$work/data
sets=$data/names_of_videos_in_each_test_set
list=$sets/Action_Unit_Detection_Challenge_test_set_release.txt
template=$sets/Action_Unit_Detection_Challenge_test_set_template.csv
labels=$data/annotations/AU_Detection_Challenge
truth=$data/test_ground_truth/AU_Detection_Challenge/Test_Set

# rename OLD NEW: the video's frame folder, annotation file and ground truth, list and template.
rename() {
  local old=$1 new=$2
  mv "$data/cropped_aligned/$old" "$data/cropped_aligned/$new"
  for f in "$labels"/*/"$old.txt" "$truth/$old.txt"; do
    [ ! -e "$f" ] || mv "$f" "$(dirname "$f")/$new.txt"
  done
  sed -i "s|^$old\$|$new|" "$list"
  sed -i "s|^$old/|$new/|" "$template"
}
train_video="vidéo 4 ü (test)" val_video="validé 7" test_video="Ünïcode 10 名前"
rename video4 "$train_video"
rename video7 "$val_video"
rename video10 "$test_video"
grep -qx "$test_video" "$list" || fail "the test list does not name the renamed video"

mpi_run 2 "$bin/au_prep" --data.root "$data" --prep.out "$work/shards" --prep.folds 3 \
  > "$work/prep.log" 2>&1 || { cat "$work/prep.log"; fail "au_prep"; }
"$python" - "$work/shards" "$train_video" "$val_video" "$test_video" << 'PY' || fail "the shards lost a name"
import glob, json, sys
import h5py
shards, *names = sys.argv[1:]
manifest = json.load(open(f"{shards}/manifest.json", encoding="utf-8"))
stored = set()
for path in glob.glob(f"{shards}/*.h5"):
    with h5py.File(path, "r") as f:
        stored |= {v.decode("utf-8") for v in f["videos"][:]}
for name in names:
    assert name in manifest["videos"], f"{name} not in manifest.json"
    assert name in stored, f"{name} not in any shard's videos"
PY

mpi_run 2 "$bin/au_train" --config "$tiny" --train.shards "$work/shards" --train.run_dir "$work/run" \
  --train.epochs 1 --train.max_steps_per_epoch 4 > "$work/train.log" 2>&1 || { cat "$work/train.log"; fail "au_train"; }
grep -q "^$val_video," "$work/run/validation/epoch_001.csv" || fail "the validation CSV lost '$val_video'"
"$bin/au_select" --select.runs "$work/run" --select.out "$work/ensemble.json" > "$work/select.log" 2>&1 \
  || { cat "$work/select.log"; fail "au_select"; }

infer() {
  mpi_run 2 "$bin/au_infer" --infer.ensemble "$work/ensemble.json" --infer.videos "$list" \
    --infer.out "$work/$1" --infer.threads 1 "${@:2}" > "$work/$1.log" 2>&1 || { cat "$work/$1.log"; fail "au_infer ($1)"; }
}
infer from_shards --infer.data "$work/shards"
infer from_jpegs --infer.data "$data/cropped_aligned" --infer.template "$template"
cmp -s <(sort "$work/from_shards/probabilities.csv") <(sort "$work/from_jpegs/probabilities.csv") \
  || fail "shards and JPEG folders gave different probabilities"
[ -f "$work/from_shards/abaw3/$test_video.txt" ] || fail "no ABAW3 file for '$test_video'"
grep -q "^$test_video/00001.jpg," "$work/from_jpegs/submission.csv" || fail "the ABAW5 file lost '$test_video'"
"$bin/au_check" --check.submission "$work/from_jpegs/submission.csv" --check.videos "$list" \
  --check.template "$template" > "$work/check.log" 2>&1 || { cat "$work/check.log"; fail "au_check"; }
"$bin/au_eval" --eval.submission "$work/from_shards/abaw3" --eval.annotations "$truth" --eval.videos "$list" \
  > "$work/eval.log" 2>&1 || { cat "$work/eval.log"; fail "au_eval"; }
grep -q "^2 videos" "$work/eval.log" || { cat "$work/eval.log"; fail "au_eval did not score both videos"; }

# A test video whose every frame lacks a face: au_infer warns, keeps the template's frame
# count and predicts every AU absent on each frame (sequence_filling.h: a video without any
# face gets the empty value).
faceless=11-30-640x360
frames=$(grep -c "^$faceless/" "$template")
rm -f "$data/cropped_aligned/$faceless"/*.jpg
infer faceless --infer.data "$data/cropped_aligned" --infer.template "$template"
grep -q "WARN .*$faceless: template $frames frames, the frame folder (highest image number) 0" \
  "$work/faceless.log" || { cat "$work/faceless.log"; fail "no warning for the faceless video"; }
[ "$(grep -c "^$faceless/[0-9]*\.jpg,0,0,0,0,0,0,0,0,0,0,0,0\$" "$work/faceless/submission.csv")" -eq "$frames" ] \
  || fail "the faceless video is not $frames frames of every AU absent"
cmp -s <(grep "^$test_video/" "$work/faceless/submission.csv") <(grep "^$test_video/" "$work/from_jpegs/submission.csv") \
  || fail "the other video's predictions changed"

# A comma cannot be written in the CSV files: refused before any work, the file named.
rename video1 "video,1"
rc=0
mpi_run 2 "$bin/au_prep" --data.root "$data" --prep.out "$work/comma" > "$work/comma.log" 2>&1 || rc=$?
[ "$rc" -eq 65 ] || { cat "$work/comma.log"; fail "a video name with a comma: exit $rc, not 65"; }
grep -q "video,1.txt: 'video,1' cannot be a video name: it contains a comma" "$work/comma.log" \
  || { cat "$work/comma.log"; fail "no message naming the file and the comma"; }
echo OK
