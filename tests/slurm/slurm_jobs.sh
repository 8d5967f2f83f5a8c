#!/usr/bin/env bash
# `sbatch slurm/train.slurm` on a real single-node Slurm (tests/slurm/slurm_cluster.sh): 2 ranks
# started by srun (PMIx), a stop signal on one rank mid-run (exit 75), the job requeues itself,
# resumes from the checkpoint and completes; the log and run folder show both runs. Then the
# real path: Slurm's signal to the batch shell (scancel --signal=USR1 --batch, what --signal=B:
# sends before the time limit) reaches every rank through train.slurm; same requeue and finish.
# Then `sbatch slurm/prep.slurm` with 2 srun ranks writes the shards mpirun wrote, byte for
# byte, and `sbatch slurm/infer.slurm` with 2 srun ranks writes the same files as mpirun.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/../train/make_data.sh"
source "$here/slurm_cluster.sh"
slurm_test_begin au_slurm
make_train_data "$work"
slurm_cluster_start "$work/slurm" > /dev/null

mkdir -p "$work/logs"
# submit RUN_DIR [au_train options...]: prints the job id. Submitted from the repository, as
# users do (the script runs jobs/ relative to it).
submit() {
  local run=$1
  shift
  (cd "$repo" && AU_BUILD=$(dirname "$bin") sbatch --parsable --output="$work/logs/%x-%j.out" \
    --ntasks-per-node=2 --gpus-per-node=0 --cpus-per-task=1 --time=10 \
    "$repo/slurm/train.slurm" "$repo/configs/test/train_tiny.ini" "$run" --train.shards "$work/shards" "$@")
}
wait_end() {  # wait_end JOB LOG_NAME: until it ends; then prints its log and checks it completed
  local state
  state=$(slurm_wait_end "$1")
  cat "$work/logs/$2-$1.out"
  scontrol show job "$1" | grep -E "JobState|Restarts|ExitCode"
  [ "$state" = COMPLETED ] || fail "job $1 ended $state"
}
wait_job() {  # wait_job JOB: wait_end, and checks that the training job completed once requeued
  wait_end "$1" au_train
  scontrol show job "$1" | grep -q "Restarts=1" || fail "job $1 did not requeue exactly once"
  grep -q "requeueing job $1" "$work/logs/au_train-$1.out" || fail "train.slurm did not requeue job $1"
  grep -q "au_train job $1 (restart 1)" "$work/logs/au_train-$1.out" || fail "no second run of job $1"
}

echo "== rank 1 raises SIGUSR1 after global step 5 (a failpoint; the requeued run has it too)"
job=$(AU_FAILPOINTS="train.step_done[rank=1,step=5]=signal(10)" submit "$work/run")
wait_job "$job"
log=$work/logs/au_train-$job.out
grep -q "stop signal: checkpointed epoch 2 step 1/4 (global step 5)" "$log" || fail "no stop at step 5"
grep -q "resuming from .*last.pt: epoch 2, step 5" "$log" || fail "the second run did not resume"
[ -f "$work/run/final.safetensors" ] || fail "no final weights"

echo "== scancel --signal=USR1 --batch during epoch 2"
job=$(submit "$work/run2" --train.epochs 3 --train.max_steps_per_epoch 0)
log=$work/logs/au_train-$job.out
for _ in $(seq 600); do
  grep -q "epoch 1/3 done" "$log" 2> /dev/null && break
  sleep 0.2
done
grep -q "epoch 1/3 done" "$log" || { cat "$log"; fail "job $job did not finish epoch 1"; }
scancel --signal=USR1 --batch "$job"
wait_job "$job"
grep -q "stop signal: checkpointed epoch [23]" "$log" || fail "no checkpoint on the Slurm signal"
grep -q "resuming from .*last.pt" "$log" || fail "the second run did not resume"
[ -f "$work/run2/final.safetensors" ] || fail "no final weights"

echo "== sbatch slurm/prep.slurm with 2 srun ranks: the shards mpirun wrote"
echo "# au_prep's defaults, as make_train_data ran it" > "$work/prep.ini"
job=$(cd "$repo" && AU_BUILD=$(dirname "$bin") sbatch --parsable --output="$work/logs/%x-%j.out" \
  --ntasks-per-node=2 --cpus-per-task=1 --time=10 "$repo/slurm/prep.slurm" "$work/prep.ini" \
  --data.root "$work/data" --prep.out "$work/slurm_shards" --prep.folds 3)
wait_end "$job" au_prep
diff <(cd "$work/shards" && find . -type f | sort | xargs md5sum) \
  <(cd "$work/slurm_shards" && find . -type f | sort | xargs md5sum) || fail "srun and mpirun shards differ"

echo "== sbatch slurm/infer.slurm with 2 srun ranks: the files mpirun writes"
"$bin/au_select" --select.runs "$work/run" --select.out "$work/ensemble.json" > /dev/null || fail "au_select failed"
job=$(cd "$repo" && AU_BUILD=$(dirname "$bin") sbatch --parsable --output="$work/logs/%x-%j.out" \
  --ntasks-per-node=2 --gpus-per-node=0 --cpus-per-task=1 --time=10 \
  "$repo/slurm/infer.slurm" "$work/ensemble.json" "$work/shards" "$work/slurm_out" --infer.threads 1)
wait_end "$job" au_infer
grep -q "on 2 ranks" "$work/logs/au_infer-$job.out" || fail "au_infer did not run on 2 ranks"
mpi_run 2 "$bin/au_infer" --infer.ensemble "$work/ensemble.json" --infer.data "$work/shards" \
  --infer.out "$work/mpirun_out" --infer.threads 1 > /dev/null 2>&1 || fail "au_infer under mpirun failed"
diff -r "$work/slurm_out" "$work/mpirun_out" > /dev/null || fail "srun and mpirun outputs differ"
echo "OK"
