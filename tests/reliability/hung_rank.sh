#!/usr/bin/env bash
# A rank that hangs: a failpoint stops it (SIGSTOP, as a debugger or a frozen node would) in the
# middle of au_prep, au_train or au_infer (2 ranks each, small synthetic dataset, run with
# --mpi.timeout_s 3). For each case:
#   - the job ends within 60 s with a non-zero exit, the surviving rank's message naming the
#     stopped one ("rank 1 did not answer a roll call", or "rank 0 neither finished ...");
#   - the rerun (au_train: --train.resume) ends byte-identical to a run that never hung.
# Usage: AU_BIN=build/bin tests/reliability/hung_rank.sh [CASE...]
#   CASE is STAGE:RANK (default: prep:1 prep:0 train:1 train:0 infer:1; ctest runs 2 of them;
#   au_infer's rank 0 gets no video of its own on this 2-video test set, so infer:0 never stops).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/stage_runs.sh"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(prep:1 prep:0 train:1 train:0 infer:1)
work=$(mktemp -d -t au_hung_rank.XXXXXX)
trap 'kill -9 ${job:-} 2> /dev/null || true; rm -rf "$work"' EXIT
stage_runs_setup "$work"

# Where each stage's victim stops: a few frames, steps or videos into its work.
failpoint() {
  case $1 in
    prep) echo "prep.frame_written[rank=$2,written=20]=signal(19)" ;;
    train) echo "train.step_done[rank=$2,step=14]=signal(19)" ;;  # in the second epoch
    infer) echo "infer.video[rank=$2]=signal(19)" ;;
  esac
}

printf '%-6s %4s %8s  %s\n' stage rank end_s message
for c in "${cases[@]}"; do
  stage=${c%:*} rank=${c#*:}
  if [ ! -d "$work/reference_$stage" ]; then
    "run_$stage" "$work/reference_$stage" > "$work/reference_$stage.log" 2>&1 \
      || { cat "$work/reference_$stage.log"; fail "the uninterrupted $stage run failed"; }
  fi
  out=$work/${stage}_$rank
  start=$(date +%s.%N)
  AU_FAILPOINTS=$(failpoint "$stage" "$rank") "run_$stage" "$out" --mpi.timeout_s 3 > "$out.log" 2>&1 &
  job=$!
  for _ in $(seq 600); do kill -0 "$job" 2> /dev/null || break; sleep 0.1; done
  if kill -0 "$job" 2> /dev/null; then
    cat "$out.log"
    fail "$stage with rank $rank stopped still ran after 60 s"
  fi
  rc=0
  wait "$job" || rc=$?
  job=
  end=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  [ "$rc" -ne 0 ] || { cat "$out.log"; fail "$stage with rank $rank stopped exited 0"; }
  if [ "$rank" = 0 ]; then named="rank 0 neither finished"; else named="rank $rank did not answer a roll call"; fi
  message=$(grep -m1 "ERROR .*$named" "$out.log" || true)
  [ -n "$message" ] || { cat "$out.log"; fail "$stage: no message naming the stopped rank $rank"; }
  printf '%-6s %4s %8s  %s\n' "$stage" "$rank" "$end" "$(sed 's/^.*ERROR *//' <<< "$message" | cut -c1-150)"
  rc=0
  rerun "$stage" "$out" > "$out.rerun.log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { cat "$out.rerun.log"; fail "the $stage rerun exited $rc"; }
  identical "$stage" "$out" "$work/reference_$stage" || fail "the $stage rerun differs from an uninterrupted run"
done
echo OK
