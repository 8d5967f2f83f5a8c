#!/usr/bin/env bash
# A full disk while au_prep writes shards, au_train a checkpoint ("train") or an epoch's
# validation file ("validation": rank 0 stops itself as validation starts, by a failpoint,
# while the disk fills), and au_infer its submission (2 ranks each, on a small synthetic
# dataset), on a 64 MiB tmpfs filled up with a filler file. For each stage:
#   - the job fails with exit 1 and a message naming the path it could not write and the free
#     space left (tmpfs: "0.0 MiB free of 64.0 MiB on the file system of ...");
#   - nothing half-written is left under a final name, nor under a temporary name after the
#     rerun (a rank that failed removes its own; ranks killed by the abort leave theirs);
#   - what was there before is untouched (au_train: the epochs already done; au_infer: the
#     previous submission);
#   - once space is freed, the rerun (au_train: --train.resume) ends byte-identical to a run
#     that never met a full disk.
# Mounting the tmpfs needs root: elsewhere the script says SKIP and exits 0.
# Usage: AU_BIN=build/bin tests/reliability/full_disk.sh [STAGES...]
#   (default: prep train validation infer)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/stage_runs.sh"
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(prep train validation infer)
work=$(mktemp -d -t au_full_disk.XXXXXX)
disk=$work/disk
mkdir -p "$disk"
if ! mount -t tmpfs -o size=64m tmpfs "$disk" 2> /dev/null; then
  rm -rf "$work"
  echo "SKIP: cannot mount a tmpfs here (needs root)"
  exit 0
fi
trap 'kill -9 ${job:-} 2> /dev/null || true; umount "$disk" 2> /dev/null || true; rm -rf "$work"' EXIT
stage_runs_setup "$work"

# fill_disk [LEAVE_KIB]: fills the tmpfs up to the last block, or to LEAVE_KIB from it;
# free_disk gives the space back.
fill_disk() {
  local count=()
  [ -z "${1:-}" ] || count=(count=$(($(df --output=avail -k "$disk" | tail -1) - $1)))
  dd if=/dev/zero of="$disk/filler" bs=1K "${count[@]}" status=none 2> /dev/null || true
}
free_disk() { rm -f "$disk/filler"; }

# check_failure STAGE RC LOG: exit 1, and an error naming a path on the disk and its free space.
check_failure() {
  local stage=$1 rc=$2 log=$3
  [ "$rc" -eq 1 ] || { cat "$log"; fail "$stage on a full disk exited $rc, not 1"; }
  grep -E "ERROR .*$disk/.*(No space left on device|cannot write).*MiB free of 64.0 MiB" "$log" \
    > /dev/null || { cat "$log"; fail "$stage: no error naming the path and the free space"; }
  grep -E "ERROR .*$disk/" "$log" | head -1 | sed "s|$work|WORK|g; s/^/  /"
}
# no_temporaries DIR: nothing under a temporary name is left.
no_temporaries() {
  local left
  left=$(find "$1" -name '*.tmp.*' | head -3)
  [ -z "$left" ] || fail "temporaries left behind: $left"
}

# stopped_pid: the pid of a stopped au_train process, once there is one (empty if the job ends).
stopped_pid() {
  while kill -0 "$job" 2> /dev/null; do
    for pid in $(pgrep -x au_train || true); do
      [ "$(awk '{print $3}' "/proc/$pid/stat" 2> /dev/null)" = T ] && { echo "$pid"; return; }
    done
    sleep 0.05
  done
}

for stage in "${stages[@]}"; do
  echo "== $stage"
  kind=$stage
  [ "$stage" != validation ] || kind=train
  if [ ! -d "$work/reference_$kind" ]; then
    "run_$kind" "$work/reference_$kind" > "$work/reference_$kind.log" 2>&1 \
      || { cat "$work/reference_$kind.log"; fail "the $kind run on a roomy disk failed"; }
  fi
  out=$disk/$stage
  rc=0
  case $stage in
    prep)
      fill_disk 4096  # room for a part of a shard: a write fails midway
      run_prep "$out" > "$work/full.log" 2>&1 || rc=$?
      check_failure prep "$rc" "$work/full.log"
      whole prep "$out" "" || fail "a shard under its final name is incomplete" ;;
    train)
      # The disk fills up once the first epoch's checkpoint is there.
      run_train "$out" > "$work/full.log" 2>&1 &
      job=$!
      while kill -0 "$job" 2> /dev/null && [ ! -e "$out/checkpoints/epoch_001.pt" ]; do sleep 0.05; done
      fill_disk
      [ -e "$out/checkpoints/epoch_001.pt" ] || fail "the first epoch never finished"
      first_epoch=$(sha256sum < "$out/checkpoints/epoch_001.pt")
      wait "$job" || rc=$?
      job=
      check_failure train "$rc" "$work/full.log"
      whole train "$out" "" || fail "an au_train file under its final name is incomplete"
      [ "$(sha256sum < "$out/checkpoints/epoch_001.pt")" = "$first_epoch" ] \
        || fail "the first epoch's checkpoint changed" ;;
    validation)
      AU_FAILPOINTS="train.before_validation[rank=0,epoch=2]=signal(19)" run_train "$out" \
        > "$work/full.log" 2>&1 &
      job=$!
      victim=$(stopped_pid)
      [ -n "$victim" ] || { cat "$work/full.log"; fail "rank 0 never stopped before validation"; }
      first_epoch=$(sha256sum < "$out/checkpoints/epoch_001.pt")
      fill_disk
      kill -CONT "$victim"
      wait "$job" || rc=$?
      job=
      check_failure validation "$rc" "$work/full.log"
      grep -q "ERROR .*validation/epoch_002.csv" "$work/full.log" || fail "not the validation file"
      whole train "$out" "" || fail "an au_train file under its final name is incomplete"
      [ "$(sha256sum < "$out/checkpoints/epoch_001.pt")" = "$first_epoch" ] \
        || fail "the first epoch's checkpoint changed" ;;
    infer)
      run_infer "$out" > "$work/first.log" 2>&1 || { cat "$work/first.log"; fail "au_infer"; }
      cp -r "$out" "$work/previous"
      fill_disk
      run_infer "$out" > "$work/full.log" 2>&1 || rc=$?
      check_failure infer "$rc" "$work/full.log"
      diff -r "$out" "$work/previous" > /dev/null || fail "the previous submission changed" ;;
  esac
  # au_prep's other ranks are killed mid-shard by the abort, so their temporaries may stay
  # until the rerun clears them; every other stage writes on rank 0 only, which cleans up.
  [ "$stage" = prep ] || no_temporaries "$out"
  free_disk
  rc=0
  rerun "$kind" "$out" > "$work/rerun.log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { cat "$work/rerun.log"; fail "the $stage rerun after freeing space exited $rc"; }
  identical "$kind" "$out" "$work/reference_$kind" || fail "the $stage rerun differs from a run on a roomy disk"
  no_temporaries "$out"
  echo "  $stage: exit 1 naming the path and free space; nothing half-written; rerun identical"
  rm -rf "$out"
done
echo OK
