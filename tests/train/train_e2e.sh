#!/usr/bin/env bash
# au_train end to end on a small synthetic dataset with a tiny model:
#  1. 2 ranks x B/2 give the weights of 1 rank x B (BatchNorm frozen, no dropout);
#  2. a stop signal on one rank stops every rank at the same step with exit 75 and a
#     checkpoint; --train.resume then ends with the same bits as an uninterrupted run; the
#     step through fixed tensors (train.cuda_graph) gives the bits of the plain step;
#  3. cross-validation folds validate on exactly the held-out fold's videos;
#  4. starting points and precision;
#  5. bad input: clear errors and the documented exit codes; a shard with flipped bytes is
#     refused by name before training (its CRC-32C differs from manifest.json's).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/make_data.sh"
tiny=$here/../../configs/test/train_tiny.ini
work=$(mktemp -d -t au_train_e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$python" -c "import safetensors, numpy" 2> /dev/null || { echo "SKIP: $python lacks safetensors/numpy"; exit 0; }

make_train_data "$work"
train_on() {  # train_on SHARDS RANKS RUN_DIR [options...]: runs au_train, returns its exit code
  local shards=$1 n=$2 run=$3
  shift 3
  mpi_run "$n" "$bin/au_train" --config "$tiny" --train.shards "$shards" --train.run_dir "$run" "$@" \
    > "$run.log" 2>&1
}
train() { train_on "$work/shards" "$@"; }

echo "== 1. 2 ranks x 8 = 1 rank x 16"
same=(--train.freeze_bn true --model.dropout 0 --train.epochs 1 --train.max_steps_per_epoch 3)
train 1 "$work/one" "${same[@]}" || { cat "$work/one.log"; fail "1-rank run failed"; }
train 2 "$work/two" "${same[@]}" || { cat "$work/two.log"; fail "2-rank run failed"; }
"$python" "$here/compare_weights.py" "$work/one/final.safetensors" "$work/two/final.safetensors" --close 3e-4 \
  || fail "1-rank and 2-rank weights differ"
train 1 "$work/seed" "${same[@]}" --train.seed 99 || fail "seed run failed"
"$python" "$here/compare_weights.py" "$work/one/final.safetensors" "$work/seed/final.safetensors" --different \
  || fail "another seed gave the same weights: the comparison cannot tell runs apart"

echo "== 2. stop signal, exit 75, resume = uninterrupted"
train 2 "$work/full" || { cat "$work/full.log"; fail "uninterrupted run failed"; }
rc=0
AU_FAILPOINTS="train.step_done[rank=1,step=5]=signal(15)" train 2 "$work/stopped" || rc=$?
[ "$rc" -eq 75 ] || { cat "$work/stopped.log"; fail "stopped run exited $rc, expected 75"; }
grep -q "stop signal: checkpointed epoch 2 step 1/4 (global step 5)" "$work/stopped.log" \
  || { cat "$work/stopped.log"; fail "the stop was not at global step 5"; }
[ -f "$work/stopped/checkpoints/last.pt" ] || fail "no checkpoint after the stop"
[ ! -f "$work/stopped/final.safetensors" ] || fail "a stopped run wrote final weights"
[ "$(wc -l < "$work/stopped/metrics.jsonl")" -eq 1 ] || fail "metrics should hold epoch 1 only"
train 2 "$work/stopped" --train.resume true || { cat "$work/stopped.log"; fail "resume failed"; }
grep -q "resuming from .*last.pt: epoch 2, step 5, position 16" "$work/stopped.log" || fail "did not resume mid-epoch"
"$python" "$here/compare_weights.py" "$work/full/final.safetensors" "$work/stopped/final.safetensors" --identical \
  || fail "resumed weights differ from the uninterrupted run"
cmp "$work/full/validation/epoch_002.csv" "$work/stopped/validation/epoch_002.csv" \
  || fail "validation probabilities differ after resume"
[ "$(wc -l < "$work/stopped/metrics.jsonl")" -eq 2 ] || fail "metrics should hold 2 epochs"
[ "$(wc -l < "$work/full/steps.csv")" -eq 9 ] || fail "steps.csv should hold a header and 8 steps"
cmp "$work/full/steps.csv" "$work/stopped/steps.csv" || fail "per-step losses differ after resume"
echo "== 2a. the step through fixed tensors (what a GPU captures as a CUDA graph) = the plain step"
train 2 "$work/plain" --train.cuda_graph false || { cat "$work/plain.log"; fail "run without the fixed step failed"; }
"$python" "$here/compare_weights.py" "$work/full/final.safetensors" "$work/plain/final.safetensors" --identical \
  || fail "the fixed-tensor step changed the weights"
echo "== 2b. a crash during validation: the resumed run validates that epoch again, same bits"
rc=0
AU_FAILPOINTS="train.before_validation[rank=0,epoch=1]=crash" train 2 "$work/crashed" || rc=$?
[ "$rc" -ne 0 ] || fail "the crashed run reported success"
[ ! -f "$work/crashed/validation/epoch_001.csv" ] || fail "validation files from a crashed validation"
train 2 "$work/crashed" --train.resume true || { cat "$work/crashed.log"; fail "resume after the crash failed"; }
grep -q "resuming from .*: epoch 2, step 4, position 0 in the epoch (epoch 1 still to validate)" "$work/crashed.log" \
  || { cat "$work/crashed.log"; fail "did not resume with epoch 1's validation pending"; }
"$python" "$here/compare_weights.py" "$work/full/final.safetensors" "$work/crashed/final.safetensors" --identical \
  || fail "weights after the crash and resume differ from the uninterrupted run"
for e in 1 2; do
  cmp "$work/full/validation/epoch_00$e.csv" "$work/crashed/validation/epoch_00$e.csv" || fail "epoch $e validation differs"
done
cmp "$work/full/steps.csv" "$work/crashed/steps.csv" || fail "per-step losses differ after the crash and resume"
# A finished run resumed again has nothing left to do.
train 2 "$work/stopped" --train.resume true || fail "resuming a finished run failed"

echo "== 3. fold 1 of 3: validation on exactly fold 1's videos"
train 2 "$work/fold" --train.fold 1 --train.epochs 1 --train.max_steps_per_epoch 1 \
  || { cat "$work/fold.log"; fail "fold run failed"; }
"$python" - "$work/shards/manifest.json" "$work/fold/validation/epoch_001.csv" <<'PY' || fail "fold videos wrong"
import csv, json, sys
folds = json.load(open(sys.argv[1]))["folds"]
seen = {row["video"] for row in csv.DictReader(open(sys.argv[2]))}
assert seen and seen <= set(folds[1]), (seen, folds[1])
print(f"validated on {len(seen)} of fold 1's {len(folds[1])} videos")
PY

echo "== 4. starting points and precision: a backbone, a checkpoint, bf16 autocast on CPU"
"$python" - "$work/full/final.safetensors" "$work/backbone.safetensors" <<'PY'
import sys
from safetensors.numpy import load_file, save_file
weights = load_file(sys.argv[1])
save_file({k[len("backbone."):]: v for k, v in weights.items() if k.startswith("backbone.")}, sys.argv[2])
PY
short=(--train.epochs 1 --train.max_steps_per_epoch 1)
train 1 "$work/from_backbone" "${short[@]}" --train.init_backbone "$work/backbone.safetensors" \
  || { cat "$work/from_backbone.log"; fail "init_backbone run failed"; }
grep -qE "backbone from .*backbone.safetensors: [1-9][0-9]* tensors loaded" "$work/from_backbone.log" \
  || { cat "$work/from_backbone.log"; fail "backbone weights not reported loaded"; }
train 1 "$work/from_checkpoint" "${short[@]}" --train.init_checkpoint "$work/full/checkpoints/epoch_001.pt" \
  || { cat "$work/from_checkpoint.log"; fail "init_checkpoint run failed"; }
grep -q "weights from .*epoch_001.pt" "$work/from_checkpoint.log" || fail "checkpoint weights not reported"
train 2 "$work/bf16" "${short[@]}" --train.precision bf16 || { cat "$work/bf16.log"; fail "bf16 run failed"; }
grep -q "precision bf16 autocast" "$work/bf16.log" || fail "bf16 autocast not used"

echo "== 5. bad input"
rc=0; train_on "$work/nowhere" 2 "$work/bad" || rc=$?
[ "$rc" -eq 65 ] && grep -q "nowhere/manifest.json: cannot read the shard manifest" "$work/bad.log" \
  || { cat "$work/bad.log"; fail "missing shards: exit $rc"; }
rc=0; train 2 "$work/bad" --train.fold 3 || rc=$?
[ "$rc" -eq 64 ] && grep -q "fold 3 asked for, but .* has 3 folds" "$work/bad.log" \
  || { cat "$work/bad.log"; fail "bad fold: exit $rc"; }
rc=0; train 2 "$work/bad" --train.global_batch 15 || rc=$?
[ "$rc" -eq 64 ] && grep -q "must be a positive multiple of the number of ranks" "$work/bad.log" \
  || { cat "$work/bad.log"; fail "odd batch: exit $rc"; }
cp -r "$work/shards" "$work/damaged"
shard=$("$python" - "$work/damaged" <<'PY'
import json, os, sys
m = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
path = os.path.join(sys.argv[1], next(s["file"] for s in m["shards"] if s["split"] == "validation"))
with open(path, "r+b") as f:  # four bytes in the middle of the file: image pixels
    f.seek(os.path.getsize(path) // 2)
    f.write(b"\xde\xad\xbe\xef")
print(os.path.basename(path))
PY
)
rc=0; train_on "$work/damaged" 2 "$work/bad" || rc=$?
[ "$rc" -eq 65 ] && grep -q "shards whose bytes are not what au_prep wrote" "$work/bad.log" \
  && grep -q "damaged/$shard: crc32c [0-9a-f]*, the manifest says" "$work/bad.log" \
  || { cat "$work/bad.log"; fail "damaged shard $shard: exit $rc"; }
[ ! -d "$work/bad/checkpoints" ] || [ -z "$(ls "$work/bad/checkpoints")" ] || fail "trained on a damaged shard"
echo "OK"
