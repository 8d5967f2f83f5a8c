#!/usr/bin/env bash
# `sbatch slurm/train.slurm` on a real single-node Slurm (tests/slurm/slurm_cluster.sh): 2 ranks
# started by srun (PMIx), a stop signal on one rank mid-run (exit 75), the job requeues itself,
# resumes from the checkpoint and completes; the log and run folder show both runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/../train/make_data.sh"
source "$here/slurm_cluster.sh"
if ! why=$(slurm_cluster_check); then
  echo "SKIP: $why"
  exit 0
fi
work=$(mktemp -d /tmp/au_slurm.XXXXXX)  # short: PMIx sockets live under it
cleanup() { slurm_cluster_stop "$work/slurm" > /dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
make_train_data "$work"
slurm_cluster_start "$work/slurm" > /dev/null

mkdir -p "$work/logs"
job=$(cd "$work" && AU_BUILD=$(dirname "$bin") sbatch --parsable --chdir="$work" --output="$work/logs/%x-%j.out" \
  --ntasks-per-node=2 --gpus-per-node=0 --cpus-per-task=1 --time=10 \
  "$repo/slurm/train.slurm" "$repo/configs/test/train_tiny.ini" "$work/run" \
  --train.shards "$work/shards" --train.signal_step 5 --train.signal_rank 1)
echo "submitted job $job"
for _ in $(seq 600); do
  state=$(scontrol show job "$job" 2> /dev/null | grep -o "JobState=[A-Z_]*" | cut -d= -f2 || true)
  case "$state" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
  sleep 0.5
done
log=$work/logs/au_train-$job.out
cat "$log"
scontrol show job "$job" | grep -E "JobState|Restarts|ExitCode"
[ "$state" = COMPLETED ] || fail "job ended $state"
scontrol show job "$job" | grep -q "Restarts=1" || fail "the job did not requeue exactly once"
grep -q "stop signal: checkpointed epoch 2 step 1/4 (global step 5)" "$log" || fail "no stop at step 5"
grep -q "requeueing job $job" "$log" || fail "train.slurm did not requeue"
grep -q "resuming from .*last.pt: epoch 2, step 5" "$log" || fail "the second run did not resume"
grep -q "au_train job $job (restart 1)" "$log" || fail "no header of the second run"
[ -f "$work/run/final.safetensors" ] || fail "no final weights"
echo "OK"
