#!/usr/bin/env bash
# au_infer and au_check on a tiny trained model: shards and cropped_aligned folders give the same
# predictions; the organisers' template orders the ABAW5 file and fixes frame counts (a mismatch
# is reported); an unreadable JPEG is a frame without a face; 1 and 3 ranks agree; folding the
# BatchNorms changes probabilities by float rounding only; au_check
# rejects each kind of broken submission; a rank that fails names its video and leaves the
# previous output untouched; a damaged test shard and a checkpoint changed since au_select are
# refused by name; a video_reference model gets the same reference faces from shards,
# frame folders and au_train's validation.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../train/make_data.sh"
work=$(mktemp -d -t au_infer.XXXXXX)
trap 'rm -rf "$work"' EXIT

make_train_data "$work"
mpi_run 2 "$bin/au_train" --config "$here/../../configs/test/train_tiny.ini" --train.shards "$work/shards" \
  --train.run_dir "$work/run" > "$work/train.log" 2>&1 || { cat "$work/train.log"; fail "au_train failed"; }
"$bin/au_select" --select.runs "$work/run" --select.out "$work/ensemble.json" > /dev/null || fail "au_select failed"
sets=$work/data/names_of_videos_in_each_test_set
list=$sets/Action_Unit_Detection_Challenge_test_set_release.txt
template=$sets/Action_Unit_Detection_Challenge_test_set_template.csv
infer() {  # infer RANKS OUT_NAME options...: runs au_infer, log in OUT_NAME.log
  local n=$1 out=$2
  shift 2
  mpi_run "$n" "$bin/au_infer" --infer.ensemble "${spec:-$work/ensemble.json}" --infer.out "$work/$out" \
    --infer.threads 1 --infer.batch 16 "$@" > "$work/$out.log" 2>&1
}
check() { "$bin/au_check" --check.submission "$@"; }

# 1. Shards with the test list; frame folders with the template: the same predictions.
infer 2 shards --infer.data "$work/shards" --infer.videos "$list" || { cat "$work/shards.log"; fail "shards"; }
infer 2 jpg --infer.data "$work/data/cropped_aligned" --infer.videos "$list" --infer.template "$template" \
  || { cat "$work/jpg.log"; fail "frame folders"; }
grep "submission check ok" "$work/jpg.log"
[ "$(ls -A "$work/jpg" | tr '\n' ' ')" = "abaw3 probabilities.csv submission.csv " ] \
  || fail "the output folder holds more than the three outputs: $(ls -A "$work/jpg")"
diff -r "$work/shards/abaw3" "$work/jpg/abaw3" > /dev/null || fail "shards and frame folders predict differently"
cmp <(sort "$work/shards/probabilities.csv") <(sort "$work/jpg/probabilities.csv") \
  || fail "shards and frame folders give different probabilities"
# The ABAW5 file follows the template's video order (by name), the shard run the test list's.
order() { tail -n +2 "$1" | cut -d/ -f1 | uniq; }
[ "$(order "$work/jpg/submission.csv")" = "$(order "$template")" ] || fail "not in the template's order"
[ "$(order "$work/shards/submission.csv")" = "$(cat "$list")" ] || fail "not in the test list's order"
[ "$(order "$template")" != "$(cat "$list")" ] || fail "the test data should order the template differently"
check "$work/jpg/submission.csv" --check.videos "$list" --check.template "$template"
rc=0; check "$work/shards/submission.csv" --check.template "$template" > "$work/c.out" || rc=$?
[ "$rc" -eq 65 ] && grep -q "the template's order" "$work/c.out" || fail "au_check missed the order (exit $rc)"
check "$work/shards/abaw3" --check.videos "$list" --check.data "$work/shards"

# 2. 1 and 3 ranks: the same bytes.
infer 1 jpg1 --infer.data "$work/data/cropped_aligned" --infer.template "$template" || fail "1 rank"
infer 3 jpg3 --infer.data "$work/data/cropped_aligned" --infer.template "$template" || fail "3 ranks"
diff -r "$work/jpg1" "$work/jpg3" > /dev/null || fail "1 and 3 ranks differ"
diff -r "$work/jpg1" "$work/jpg" > /dev/null || fail "the test list changed the template run"
# BatchNorm folded (the default) and not: the same probabilities to float rounding.
infer 2 unfolded --infer.data "$work/shards" --infer.videos "$list" --infer.fold_batchnorm false || fail "unfolded"
"$python" - "$work/shards/probabilities.csv" "$work/unfolded/probabilities.csv" <<'PY' || fail "folding changed the probabilities"
import csv, sys
folded, unfolded = ({(r["video"], r["frame"]): r for r in csv.DictReader(open(f))} for f in sys.argv[1:3])
assert folded.keys() == unfolded.keys()
worst = max(abs(float(v) - float(unfolded[k][c])) for k, r in folded.items() for c, v in r.items() if c.startswith("prob_"))
print(f"BatchNorm folded vs not: {len(folded)} frames, largest probability difference {worst:.1e}")
assert 0 < worst < 1e-5, worst
PY

# 3. A template that counts 2 more frames for one video: reported, and the template wins.
first=$(order "$template" | head -1)
n=$(grep -c "^$first/" "$template")
"$python" - "$template" "$work/template2.csv" "$first" "$n" <<'PY'
import sys
src, dst, video, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = open(src).read().splitlines()
at = max(i for i, r in enumerate(rows) if r.startswith(video + "/")) + 1
rows[at:at] = [f"{video}/{f:05d}.jpg" for f in (n + 1, n + 2)]
open(dst, "w").write("\n".join(rows) + "\n")
PY
infer 2 longer --infer.data "$work/data/cropped_aligned" --infer.template "$work/template2.csv" || fail "longer template"
grep -q "1 videos have another frame count" "$work/longer.log" || fail "the mismatch was not reported"
grep -q "$first: template $((n + 2)) frames, the frame folder (highest image number) $n" "$work/longer.log" \
  || fail "the mismatch line is wrong"
[ "$(grep -c . "$work/longer/abaw3/$first.txt")" -eq $((n + 3)) ] || fail "the template's count was not used"
check "$work/longer/submission.csv" --check.template "$work/template2.csv" > /dev/null

# 4. An unreadable JPEG is a frame without a face: a warning names it, the submission is whole.
cp -r "$work/data/cropped_aligned" "$work/faces"
bad=$(ls "$work/faces/$first" | sed -n 5p)
echo "not a jpeg" > "$work/faces/$first/$bad"
infer 2 bad --infer.data "$work/faces" --infer.template "$template" || fail "an unreadable JPEG stopped au_infer"
grep -q "$first/$bad: .*treated as a frame without a face" "$work/bad.log" || fail "no warning for $bad"

# 5. au_check rejects each kind of broken submission.
broken() {  # broken WHAT EXPECTED: edits a copy of the ABAW3 folder with WHAT, expects EXPECTED
  rm -rf "$work/broken" && cp -r "$work/jpg/abaw3" "$work/broken"
  (cd "$work/broken" && eval "$1")
  rc=0; check "$work/broken" --check.videos "$list" --check.data "$work/shards" > "$work/c.out" || rc=$?
  [ "$rc" -eq 65 ] && grep -q -- "$2" "$work/c.out" || { cat "$work/c.out"; fail "au_check: $1 (exit $rc)"; }
}
broken "rm $first.txt" "$first: missing"
broken "cp $first.txt extra_video.txt" "extra_video: not in the test list"
broken "sed -i '\$d' $first.txt" "$first: $((n - 1)) frames, expected $n"
broken "sed -i '1s/AU1,/AU0,/' $first.txt" "expected the header"
broken "sed -i '3s/^./2/' $first.txt" ":3: expected 0 or 1 for AU1, found '2'"
broken "sed -i '4s/,0\$//;4s/,1\$//' $first.txt" ":4: expected 12 values, found 11"

# 6. A rank that fails names the video; the output folder keeps the previous complete output.
cp -r "$work/jpg" "$work/before"
rc=0; AU_FAILPOINTS="infer.video[video=$first]=throw" infer 2 jpg --infer.data "$work/data/cropped_aligned" \
  --infer.template "$template" || rc=$?
[ "$rc" -ne 0 ] || fail "a failing rank did not fail the job"
grep -q "video $first: failpoint infer.video" "$work/jpg.log" || { cat "$work/jpg.log"; fail "the error does not name the video"; }
diff -r "$work/before" "$work/jpg" > /dev/null || fail "a failed run changed the previous output"
# 6a. A checkpoint changed since au_select chose it (its CRC-32C is in the spec) is refused.
grep -q '"crc32c": "[0-9a-f]\{8\}"' "$work/ensemble.json" || fail "au_select recorded no checkpoint checksums"
chosen=$("$python" -c "import json, sys; print(json.load(open(sys.argv[1]))['checkpoints'][0]['checkpoint'])" "$work/ensemble.json")
cp "$chosen" "$work/chosen.bak"
printf 'x' >> "$chosen"
rc=0; infer 2 changed --infer.data "$work/shards" --infer.videos "$list" || rc=$?
mv "$work/chosen.bak" "$chosen"
[ "$rc" -eq 65 ] && grep -q "checkpoints changed since au_select chose them" "$work/changed.log" \
  && grep -q "$chosen: crc32c" "$work/changed.log" || { cat "$work/changed.log"; fail "changed checkpoint: exit $rc"; }
# 6b. A test shard with flipped bytes is refused by name before any prediction.
cp -r "$work/shards" "$work/damaged"
shard=$("$python" - "$work/damaged" <<'PY'
import json, os, sys
m = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
path = os.path.join(sys.argv[1], next(s["file"] for s in m["shards"] if s["split"] == "test"))
with open(path, "r+b") as f:
    f.seek(os.path.getsize(path) // 2)
    f.write(b"\xde\xad\xbe\xef")
print(os.path.basename(path))
PY
)
rc=0; infer 2 from_damaged --infer.data "$work/damaged" --infer.videos "$list" || rc=$?
[ "$rc" -eq 65 ] && grep -q "damaged/$shard" "$work/from_damaged.log" && [ ! -e "$work/from_damaged/submission.csv" ] \
  || { cat "$work/from_damaged.log"; fail "damaged test shard $shard: exit $rc"; }
# 7. A model with video_reference: au_infer computes each video's reference face from shards and
# from frame folders alike, and as au_train's validation did (same probabilities, to float
# rounding between batch layouts), and 1 and 3 ranks agree.
mpi_run 2 "$bin/au_train" --config "$here/../../configs/test/train_tiny.ini" --train.shards "$work/shards" \
  --train.run_dir "$work/vref" --model.video_reference true > "$work/vref.log" 2>&1 \
  || { cat "$work/vref.log"; fail "au_train with video_reference failed"; }
grep -q "video reference faces of" "$work/vref.log" || fail "no reference faces computed"
"$python" - "$work/vref" "$work/vref.json" <<'PY'
import json, sys
run, out = sys.argv[1:3]
aus = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"]
name = "epoch_002"
json.dump({"format": "au-ensemble ensemble spec", "version": 1, "fill": "linear",
           "validation": {"mean_f1": 0, "mean_f1_our": 0},
           "checkpoints": [{"name": name, "checkpoint": f"{run}/checkpoints/{name}.pt", "config": f"{run}/config.ini"}],
           "aus": [{"au": a, "checkpoint": name, "threshold": 0.5, "window": 1} for a in aus]}, open(out, "w"))
PY
vinfer() { spec=$work/vref.json infer "$@"; }
vinfer 2 vshards --infer.data "$work/shards" --infer.videos "$list" || { cat "$work/vshards.log"; fail "vref shards"; }
vinfer 2 vjpg --infer.data "$work/data/cropped_aligned" --infer.videos "$list" --infer.template "$template" \
  || { cat "$work/vjpg.log"; fail "vref frame folders"; }
cmp <(sort "$work/vshards/probabilities.csv") <(sort "$work/vjpg/probabilities.csv") \
  || fail "video_reference: shards and frame folders give different probabilities"
vinfer 1 vjpg1 --infer.data "$work/data/cropped_aligned" --infer.template "$template" || fail "vref 1 rank"
vinfer 3 vjpg3 --infer.data "$work/data/cropped_aligned" --infer.template "$template" || fail "vref 3 ranks"
diff -r "$work/vjpg1" "$work/vjpg3" > /dev/null || fail "video_reference: 1 and 3 ranks differ"
vinfer 2 vval --infer.data "$work/shards" --infer.split validation || { cat "$work/vval.log"; fail "vref validation"; }
"$python" - "$work/vref/validation/epoch_002.csv" "$work/vval/probabilities.csv" <<'PY' || fail "au_infer differs from validation"
import csv, sys
val = {(r["video"], r["frame"]): r for r in csv.DictReader(open(sys.argv[1]))}
worst, n = 0.0, 0
for r in csv.DictReader(open(sys.argv[2])):
    v = val.get((r["video"], r["frame"]))
    if v is None:
        continue  # a frame without labels, or filled
    n += 1
    worst = max(worst, max(abs(float(r[k]) - float(v[k])) for k in r if k.startswith("prob_")))
print(f"au_infer vs au_train validation: {n} frames, largest difference {worst:.2e}")
assert n == len(val) and worst < 1e-4, (n, len(val), worst)
PY
echo "OK"
