#!/usr/bin/env bash
# jobs/experiment.sh CONFIG on a real single-node Slurm (tests/slurm/slurm_cluster.sh): 2 base
# models (the second chained from the first) x 2 folds as two job arrays of concurrency 2, then
# select, infer, check and eval jobs.
#  1. Array task a/fold0 gets Slurm's stop signal mid-run, requeues itself and resumes; task
#     a/fold1 is killed for good (a failpoint): b/fold1 and every later stage never run, b/fold0 does.
#  2. The same command again submits only a/fold1, b/fold1 and the stages after them; all
#     complete; the submission passes au_check and is scored.
#  3. A third submission submits nothing and says so.
#  4. --local on the same file (another out folder) writes the same submission and scores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/../train/make_data.sh"
source "$here/../slurm/slurm_cluster.sh"
slurm_test_begin au_exp_slurm
make_train_data "$work"
slurm_cluster_start "$work/slurm" > /dev/null
source "$here/tiny_experiment.sh"
write_tiny_experiment "$work/experiment.ini" "$work/exp" \
  "array_concurrency = 2
time_limit = 10
sbatch_options = --gpus-per-node=0 --cpus-per-task=1" \
  "train.epochs = 3
train.max_steps_per_epoch = 0" ""
submit() { (cd "$repo" && AU_BUILD=$(dirname "$bin") bash jobs/experiment.sh --bin "$bin" "$work/experiment.ini"); }
job_of() { sed -n "s/^== $1: submitted job \([0-9]*\).*/\1/p" "$2"; }

echo "== submit the experiment; fold 1 of model a dies for good as its validation starts"
AU_FAILPOINTS="train.before_validation[fold=1,epoch=1]=crash" submit > "$work/submit.txt" 2>&1 \
  || { cat "$work/submit.txt"; fail "the submission failed"; }
grep "^== " "$work/submit.txt"
train_a=$(job_of train_a "$work/submit.txt") train_b=$(job_of train_b "$work/submit.txt")
select_job=$(job_of select "$work/submit.txt") eval_job=$(job_of eval "$work/submit.txt")
report_job=$(job_of report "$work/submit.txt")
[ -n "$train_a" ] && [ -n "$train_b" ] && [ -n "$report_job" ] || fail "expected train_a, train_b and report jobs"

echo "== Slurm's stop signal to array task ${train_a}_0 during its epoch 2"
log=$work/exp/logs/au_train_a-${train_a}_0.out
for _ in $(seq 600); do
  grep -q "epoch 1/3 done" "$log" 2> /dev/null && break
  sleep 0.2
done
grep -q "epoch 1/3 done" "$log" || { cat "$log"; fail "task 0 did not finish epoch 1"; }
scancel --signal=USR1 --batch "${train_a}_0"

[ "$(slurm_wait_end "${train_b}_0" 600)" = COMPLETED ] || fail "b/fold0 did not complete"
[ "$(slurm_wait_end "${train_a}_1" 600)" = FAILED ] || fail "a/fold1 did not fail"
grep -q "requeueing job" "$log" || fail "task 0 did not requeue"
grep -q "resuming from .*last.pt" "$log" || fail "task 0 did not resume"
for job in "${train_b}_1" "$select_job" "$eval_job" "$report_job"; do
  state=$(slurm_wait_end "$job" 60)
  [ "$state" = CANCELLED ] || fail "job $job, which needs the failed task, ended $state (expected CANCELLED)"
done
[ ! -e "$work/exp/runs/b/fold1/config.ini" ] || fail "b/fold1 ran without its parent"
[ ! -e "$work/exp/ensemble.json" ] || fail "the selection ran without every run"
(cd "$repo" && bash jobs/experiment.sh --status --bin "$bin" "$work/experiment.ini") > "$work/status.txt"
cat "$work/status.txt"
grep -q "train_a\[1\] fold 1 *failed .*exited with" "$work/status.txt" || fail "--status does not show the failed task"
grep -q "train_a\[0\] fold 0 *done" "$work/status.txt" || fail "--status does not show a/fold0 done"

echo "== the same command again: only what is not done"
submit > "$work/resubmit.txt" 2>&1 || { cat "$work/resubmit.txt"; fail "the resubmission failed"; }
grep "^== " "$work/resubmit.txt"
grep -q "train_a: submitted job [0-9]*, tasks 1 " "$work/resubmit.txt" || fail "a/fold1 not resubmitted alone"
grep -q "train_b: submitted job [0-9]*, tasks 1 " "$work/resubmit.txt" || fail "b/fold1 not resubmitted alone"
grep -q "train_a\[0\]: done, not submitted" "$work/resubmit.txt" || fail "a/fold0 not reported done"
last_job=$(job_of report "$work/resubmit.txt")
state=$(slurm_wait_end "$last_job" 600)
for f in "$work"/exp/logs/*.out; do echo "--- $f"; tail -2 "$f"; done
[ "$state" = COMPLETED ] || fail "the report job ended $state"
"$python" "$here/check_report.py" "$work/exp/report/index.html" select infer check eval || fail "the report does not render"
for run in a/fold0 a/fold1 b/fold0 b/fold1; do
  [ -f "$work/exp/runs/$run/final.safetensors" ] || fail "no final weights in $run"
done
[ -f "$work/exp/stamps/check.done" ] || fail "au_check did not pass"
# (Scores: the tiny models here learn next to nothing; pipeline_e2e runs the demo experiment and
# asks its test F1 to beat the all-ones constant by a margin.)
"$python" -c "import json, sys; s = json.load(open(sys.argv[1])); assert 0 <= s['mean_f1'] <= 1, s" \
  "$work/exp/test_scores.json" || fail "no test scores"

echo "== the finished experiment a third time: nothing to submit"
submit > "$work/again.txt" 2>&1 || { cat "$work/again.txt"; fail "the second submission failed"; }
grep -q "nothing to submit" "$work/again.txt" || { cat "$work/again.txt"; fail "the third submission submitted"; }

echo "== --local on the same experiment: the same submission and scores"
sed "s|^out = .*|out = $work/exp_local|" "$work/experiment.ini" > "$work/local.ini"
(cd "$repo" && AU_BUILD=$(dirname "$bin") bash jobs/experiment.sh --local --bin "$bin" "$work/local.ini") \
  > "$work/local.txt" 2>&1 || { cat "$work/local.txt"; fail "the local run failed"; }
cmp "$work/exp/submission/submission.csv" "$work/exp_local/submission/submission.csv" \
  || fail "Slurm and --local submissions differ"
cmp "$work/exp/test_scores.json" "$work/exp_local/test_scores.json" || fail "Slurm and --local scores differ"
echo OK
