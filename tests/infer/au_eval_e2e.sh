#!/usr/bin/env bash
# au_eval on the synthetic test set: a random ABAW5 submission scores what an independent
# Python computation says; the same predictions as an ABAW3 folder score the same; errors exit
# with the documented codes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d -t au_eval.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$bin/au_synth" --synth.out "$work/data" --synth.train_videos 1 --synth.validation_videos 1 --synth.test_videos 3 \
  --synth.min_frames 40 --synth.max_frames 80 > /dev/null 2>&1
gt=$work/data/test_ground_truth/AU_Detection_Challenge/Test_Set
list=$work/data/names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt
"$python" "$here/eval_reference.py" "$gt" "$list" "$work/sub.csv" "$work/expected.json"
"$bin/au_eval" --eval.submission "$work/sub.csv" --eval.annotations "$gt" --eval.videos "$list" \
  --eval.json "$work/got.json" | tail -3
"$python" - "$work/expected.json" "$work/got.json" <<'PY' || fail "au_eval disagrees with the reference"
import json, sys
e, g = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert abs(e["mean_f1"] - g["mean_f1"]) < 1e-12, (e["mean_f1"], g["mean_f1"])
assert abs(e["mean_f1_our"] - g["mean_f1_our"]) < 1e-12, (e["mean_f1_our"], g["mean_f1_our"])
assert abs(e["all_ones_mean_f1"] - g["all_ones_mean_f1"]) < 1e-12, (e["all_ones_mean_f1"], g["all_ones_mean_f1"])
for au, f in zip(g["aus"], e["f1"]):
    assert abs(g["aus"][au]["f1"] - f) < 1e-12, au
print(f"mean F1 {g['mean_f1']:.6f}, F1_our {g['mean_f1_our']:.6f}: as computed independently")
PY
# The same predictions as an ABAW3 folder.
"$python" - "$work/sub.csv" "$work/abaw3" <<'PY'
import os, sys
rows = open(sys.argv[1]).read().splitlines()
header = rows[0].split(",", 1)[1]
os.makedirs(sys.argv[2])
files = {}
for r in rows[1:]:
    loc, values = r.split(",", 1)
    files.setdefault(loc.split("/")[0], []).append(values)
for v, lines in files.items():
    open(f"{sys.argv[2]}/{v}.txt", "w").write(header + "\n" + "\n".join(lines) + "\n")
PY
"$bin/au_eval" --eval.submission "$work/abaw3" --eval.annotations "$gt" --eval.json "$work/got3.json" > /dev/null
cmp "$work/got.json" "$work/got3.json" || fail "ABAW3 and ABAW5 forms of one submission score differently"
rc=0; "$bin/au_eval" --eval.submission "$work/sub.csv" > /dev/null 2>&1 || rc=$?
[ "$rc" -eq 64 ] || fail "missing --eval.annotations: exit $rc, expected 64"
rc=0; "$bin/au_eval" --eval.submission "$work/sub.csv" --eval.annotations "$work" 2> "$work/err" > /dev/null || rc=$?
[ "$rc" -eq 65 ] && grep -q "no annotation file for submitted video" "$work/err" || fail "missing truth: exit $rc"
echo "OK"
