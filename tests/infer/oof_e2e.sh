#!/usr/bin/env bash
# k-fold runs as out-of-fold candidates: 3 fold runs of the tiny config -> au_select tunes on
# their out-of-fold predictions (the report says so, each spec entry has the 3 fold models as
# members) -> au_infer averages the members (the mean of the 3 single-member specs' probabilities)
# and gives the same bytes with 1 and 2 ranks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../train/make_data.sh"
work=$(mktemp -d -t au_oof.XXXXXX)
trap 'rm -rf "$work"' EXIT

make_train_data "$work"  # train and validation videos in 3 folds
runs=""
for k in 0 1 2; do
  mpi_run 2 "$bin/au_train" --config "$here/../../configs/test/train_tiny.ini" --train.shards "$work/shards" \
    --train.run_dir "$work/tiny_fold$k" --train.fold "$k" > "$work/train$k.log" 2>&1 \
    || { cat "$work/train$k.log"; fail "au_train fold $k failed"; }
  runs+="${runs:+,}$work/tiny_fold$k"
done

"$bin/au_select" --select.runs "$runs" --select.out "$work/ensemble.json" --select.report "$work/report.txt" \
  > "$work/select.log" 2>&1 || { cat "$work/select.log"; fail "au_select failed"; }
videos=$(tail -q -n +2 "$work"/tiny_fold*/validation/epoch_001.csv | cut -d, -f1 | sort -u | wc -l)
grep -q "tuned on out-of-fold predictions of $videos videos from 3 folds" "$work/report.txt" \
  || { cat "$work/report.txt"; fail "the report does not say the candidates are out-of-fold"; }
grep -q "$work/tiny/epoch_00[12]" "$work/report.txt" || fail "the report does not name the family's epochs"

# Every spec entry: the 3 fold checkpoints of one epoch. Also writes, per fold k, the spec with
# each entry replaced by its k-th member alone (fold_k.json).
"$python" - "$work/ensemble.json" "$work" <<'PY' || fail "the spec's members are wrong"
import copy, json, sys
spec, work = json.load(open(sys.argv[1])), sys.argv[2]
for c in spec["checkpoints"]:
    epoch = c["name"].rsplit("/", 1)[1]
    assert [m["checkpoint"] for m in c["members"]] == [f"{work}/tiny_fold{k}/checkpoints/{epoch}.pt" for k in range(3)], c
    assert [m["config"] for m in c["members"]] == [f"{work}/tiny_fold{k}/config.ini" for k in range(3)], c
    assert "checkpoint" not in c, c
for k in range(3):
    single = copy.deepcopy(spec)
    single["checkpoints"] = [{"name": c["name"], **c["members"][k]} for c in spec["checkpoints"]]
    json.dump(single, open(f"{work}/fold_{k}.json", "w"))
print(f"{len(spec['checkpoints'])} spec entries of 3 members each")
PY

list=$work/data/names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt
infer() {  # infer RANKS SPEC OUT
  mpi_run "$1" "$bin/au_infer" --infer.ensemble "$2" --infer.data "$work/shards" --infer.videos "$list" \
    --infer.out "$work/$3" --infer.threads 1 --infer.batch 16 > "$work/$3.log" 2>&1 \
    || { cat "$work/$3.log"; fail "au_infer $3 ($1 ranks) failed"; }
}
infer 1 "$work/ensemble.json" out1
infer 2 "$work/ensemble.json" out2
diff -r "$work/out1" "$work/out2" > /dev/null || fail "au_infer: 1 and 2 ranks differ"
entries=$("$python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["checkpoints"]))' "$work/ensemble.json")
grep -q " $((3 * entries)) distinct models" "$work/out1.log" || fail "au_infer did not load 3 fold models per entry"

# The family's probabilities are the mean of its members' (smoothing and filling are linear).
for k in 0 1 2; do infer 1 "$work/fold_$k.json" "fold$k"; done
"$python" - "$work" <<'PY' || fail "au_infer does not average the members"
import csv, sys
work = sys.argv[1]
def table(name):
    return {(r["video"], r["frame"]): r for r in csv.DictReader(open(f"{work}/{name}/probabilities.csv"))}
mean, folds = table("out1"), [table(f"fold{k}") for k in range(3)]
assert mean and all(f.keys() == mean.keys() for f in folds)
worst = max(abs(float(row[c]) - sum(float(f[key][c]) for f in folds) / 3)
            for key, row in mean.items() for c in row if c.startswith("prob_"))
print(f"{len(mean)} frames, largest difference from the members' mean {worst:.2e}")
assert worst < 1e-5, worst
PY
echo "OK"
