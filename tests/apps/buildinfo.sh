#!/usr/bin/env bash
# au_buildinfo under mpiexec: reports LibTorch and whether CUDA/NCCL were compiled in, treats
# "no GPU" as a normal state, and every rank names its local rank. Also checks the shared
# program frame: --help and --dump-config print once and exit 0, a bad option exits 64.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
run() { mpi_run 2 "$bin/au_buildinfo" "$@"; }

out=$(run 2>&1)
echo "$out"
echo "$out" | grep -q "^LibTorch 2\." || fail "no LibTorch version"
echo "$out" | grep -q "^CUDA compiled: ${AU_EXPECT_CUDA:-yes}" || fail "CUDA compiled is not ${AU_EXPECT_CUDA:-yes}"
echo "$out" | grep -q "^GPUs visible: [0-9]" || fail "no GPU count"
[ "$(echo "$out" | grep -c "local rank [01]/2")" -eq 2 ] || fail "both ranks should report their local rank"
[ "$(run --help | grep -c "^Usage: au_buildinfo")" -eq 1 ] || fail "--help should print once"
run --dump-config | grep -q "effective configuration of au_buildinfo" || fail "--dump-config"
rc=0; run --no-such-option > /dev/null 2>&1 || rc=$?
[ "$rc" -eq 64 ] || fail "bad option: exit $rc, expected 64"
echo "au_buildinfo checks passed"
