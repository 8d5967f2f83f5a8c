#!/usr/bin/env bash
# A rank that dies ends the whole job with an error within a bounded time, never a hang:
# SIGKILL one au_train rank mid-training and time how long mpirun takes to give up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/make_data.sh"
work=$(mktemp -d -t au_kill.XXXXXX)
trap 'kill -9 ${job:-} 2> /dev/null || true; rm -rf "$work"' EXIT
make_train_data "$work"

mpi_run 2 "$bin/au_train" --config "$here/../../configs/test/train_tiny.ini" --train.shards "$work/shards" \
  --train.run_dir "$work/run" --train.epochs 50 --train.max_steps_per_epoch 0 --train.progress_interval_s 0.2 \
  > "$work/log" 2>&1 &
job=$!
for _ in $(seq 300); do
  grep -q " step " "$work/log" && break
  sleep 0.2
done
grep -q " step " "$work/log" || { cat "$work/log"; fail "training did not start"; }
victim=""
for pid in $(pgrep -f "au_train.*$work/run"); do
  tr '\0' '\n' < "/proc/$pid/environ" 2> /dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1" && victim=$pid
done
[ -n "$victim" ] || fail "could not find rank 1"
kill -9 "$victim"
killed_at=$(date +%s)
for _ in $(seq 600); do
  kill -0 "$job" 2> /dev/null || break
  sleep 0.1
done
kill -0 "$job" 2> /dev/null && fail "the job still runs 60 s after rank 1 was killed"
rc=0
wait "$job" || rc=$?
echo "job ended with exit $rc, $(( $(date +%s) - killed_at )) s after rank 1 was killed"
[ "$rc" -ne 0 ] || fail "the job reported success"
[ ! -f "$work/run/final.safetensors" ] || fail "final weights written by a broken job"
echo "OK"
