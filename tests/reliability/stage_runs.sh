# Sourced by the fault tests of tests/reliability: the three stages' commands on a small
# synthetic dataset (2 ranks each), and what "whole" and "identical" mean for their outputs.
# Needs script_env.sh sourced first; stage_runs_setup WORK makes the data, shards and a spec.
stage_runs_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$stage_runs_here/../train/make_data.sh"
tiny=$stage_runs_here/../../configs/test/train_tiny.ini

# stage_runs_setup WORK: WORK/data, WORK/shards and WORK/ensemble.json (one tiny run's last epoch).
stage_runs_setup() {
  work=$1
  make_train_data "$work"
  list=$work/data/names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt
  run_train "$work/spec_run" > "$work/spec_run.log" 2>&1 || { cat "$work/spec_run.log"; fail "au_train"; }
  "$bin/au_select" --select.runs "$work/spec_run" --select.out "$work/ensemble.json" > /dev/null
}

# The commands of each stage; $1 is the output folder.
# run_STAGE OUT [extra options...]
run_prep() {
  local out=$1
  shift
  mpi_run 2 "$bin/au_prep" --data.root "$work/data" --prep.out "$out" --prep.shard_frames 60 "$@"
}
run_train() {
  local out=$1
  shift
  mpi_run 2 "$bin/au_train" --config "$tiny" --train.shards "$work/shards" --train.run_dir "$out" \
    --train.epochs 3 --train.max_steps_per_epoch 12 "$@"
}
run_infer() {
  local out=$1
  shift
  mpi_run 2 "$bin/au_infer" --infer.ensemble "$work/ensemble.json" --infer.data "$work/shards" \
    --infer.videos "$list" --infer.out "$out" --infer.threads 1 --infer.batch 8 "$@"
}
# What the rerun after a kill runs: au_train resumes, the others start again.
rerun() {
  case $1 in
    prep) run_prep "$2" ;;
    train) run_train "$2" --train.resume true ;;
    infer) run_infer "$2" ;;
  esac
}
program() { case $1 in prep) echo au_prep ;; train) echo au_train ;; infer) echo au_infer ;; esac; }

# Every file under a final name is whole: no shard without complete=1, no au_train file that
# does not parse, no au_infer output that differs from the uninterrupted run's.
whole() {
  local stage=$1 out=$2 reference=$3
  case $stage in
    prep)
      for f in "$out"/*.h5; do
        [ -e "$f" ] || continue
        h5dump -a complete "$f" 2> /dev/null | grep -q '(0): 1' || { echo "$f incomplete"; return 1; }
      done ;;
    train)
      "$python" - "$out" << 'PY' || return 1
import glob, json, os, sys
run = sys.argv[1]
for path in glob.glob(os.path.join(run, "*.jsonl")):
    for line in open(path):
        json.loads(line)
for path in glob.glob(os.path.join(run, "validation", "*.csv")):
    lines = open(path).read().splitlines()
    assert lines and all(l.count(",") == lines[0].count(",") for l in lines), path
if os.path.exists(os.path.join(run, "final.safetensors")):
    from safetensors.numpy import load_file
    load_file(os.path.join(run, "final.safetensors"))
PY
      ;;
    infer)
      for f in submission.csv probabilities.csv; do
        [ ! -e "$out/$f" ] || cmp -s "$out/$f" "$reference/$f" || { echo "$out/$f partial"; return 1; }
      done ;;
  esac
}
identical() {
  local stage=$1 out=$2 reference=$3
  case $stage in
    prep | infer) diff -r "$out" "$reference" > /dev/null ;;
    train)
      "$python" "$stage_runs_here/../train/compare_weights.py" "$out/final.safetensors" "$reference/final.safetensors" \
        --identical > /dev/null && diff -r "$out/validation" "$reference/validation" > /dev/null \
        && cmp -s "$out/steps.csv" "$reference/steps.csv" ;;
  esac
}
