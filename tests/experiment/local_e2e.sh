#!/usr/bin/env bash
# jobs/experiment.sh --local on a tiny experiment: 2 base models (the second chained from the
# first) x 2 folds of a small synthetic dataset, then selection, inference, check and scoring.
# Then: the same command again skips everything; the file changed under finished runs is refused
# (exit 64) naming the option; a run without its final weights is redone, with what follows it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/../train/make_data.sh"
work=$(mktemp -d -t au_experiment_local.XXXXXX)
trap 'rm -rf "$work"' EXIT
make_train_data "$work"
source "$here/tiny_experiment.sh"
write_experiment() { write_tiny_experiment "$work/experiment.ini" "$work/exp" "" "" "train.lr = $1"; }  # LR_OF_B
experiment() { (cd "$repo" && AU_BIN=$bin bash jobs/experiment.sh --local "$work/experiment.ini"); }
status() { (cd "$repo" && AU_BIN=$bin bash jobs/experiment.sh --status "$work/experiment.ini"); }

echo "== the whole experiment"
write_experiment 0.01
experiment > "$work/first.txt" 2>&1 || { cat "$work/first.txt"; fail "the local experiment failed"; }
for run in a/fold0 a/fold1 b/fold0 b/fold1; do
  [ -f "$work/exp/runs/$run/final.safetensors" ] || fail "no final weights in $run"
done
grep -q "init_checkpoint = $work/exp/runs/a/fold1/checkpoints/last.pt" "$work/exp/runs/b/fold1/config.ini" \
  || fail "b's fold 1 did not start from a's fold 1"
grep -q "3 candidate checkpoints" "$work/exp/logs/select.log" \
  || { cat "$work/exp/logs/select.log"; fail "au_select did not see both models' runs (a: 2 epochs, b: 1)"; }
[ -f "$work/exp/submission/submission.csv" ] || fail "no submission"
# (Scores: the tiny models here learn next to nothing; pipeline_e2e runs the demo experiment and
# asks its test F1 to beat the all-ones constant by a margin.)
"$python" -c "import json, sys; s = json.load(open(sys.argv[1])); assert 0 <= s['mean_f1'] <= 1, s" \
  "$work/exp/test_scores.json" || fail "no test scores"
[ "$(grep -c ": done in" "$work/first.txt")" -eq 9 ] || { cat "$work/first.txt"; fail "expected 4 runs and 5 stages"; }
"$python" "$here/check_report.py" "$work/exp/report/index.html" select infer check eval || fail "the report does not render"
"$python" "$repo/jobs/experiment/report.py" "$work/single" "$work/exp/runs/a/fold0" > /dev/null \
  && "$python" "$here/check_report.py" "$work/single/report/index.html" || fail "the report of a single run"
status > "$work/status.txt"
[ "$(grep -c "^  [a-z_]*\(\[[0-9]\] fold [0-9]\)\? *done " "$work/status.txt")" -eq 9 ] \
  || { cat "$work/status.txt"; fail "--status does not show 9 done"; }
grep -q "train_a\[0\] fold 0 *done *2/2 epochs done" "$work/status.txt" || { cat "$work/status.txt"; fail "no epochs"; }

echo "== the same command again: nothing to do"
experiment > "$work/second.txt" 2>&1 || { cat "$work/second.txt"; fail "the second run failed"; }
[ "$(grep -c ": skipped" "$work/second.txt")" -eq 9 ] || { cat "$work/second.txt"; fail "expected 9 skips"; }
! grep -q ": done in" "$work/second.txt" || fail "the second run redid a stage"

echo "== the file changed under finished runs: refused, naming the option"
write_experiment 0.02
rc=0
experiment > "$work/changed.txt" 2>&1 || rc=$?
[ "$rc" -eq 64 ] || { cat "$work/changed.txt"; fail "a changed file exited $rc, expected 64"; }
grep -q "runs/b/fold0 was trained with other options .*train.lr 0.01 -> 0.02" "$work/changed.txt" \
  || { cat "$work/changed.txt"; fail "the refusal does not name the option"; }

echo "== a run without its final weights is redone, and what follows it"
write_experiment 0.01
rm "$work/exp/runs/b/fold1/final.safetensors"
status > "$work/status.txt"
grep -q "train_b\[1\] fold 1 *started" "$work/status.txt" || { cat "$work/status.txt"; fail "--status: not started"; }
grep -q "select *done" "$work/status.txt" && fail "--status: selection done though a run is not"
experiment > "$work/redo.txt" 2>&1 || { cat "$work/redo.txt"; fail "the rerun failed"; }
grep -q "train_b_1: done in" "$work/redo.txt" || fail "b's fold 1 was not redone"
[ "$(grep -c "train_.*: skipped" "$work/redo.txt")" -eq 3 ] || { cat "$work/redo.txt"; fail "other runs redone"; }
grep -q "select: done in" "$work/redo.txt" || fail "selection not redone after a run changed"
echo OK
