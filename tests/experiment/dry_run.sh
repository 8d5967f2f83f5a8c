#!/usr/bin/env bash
# jobs/experiment.sh --dry-run on the shipped experiment files, checked against the built
# programs' options (--dump-config): the plan names every job, and a key no program knows is
# refused with the file and line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d -t au_experiment.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$repo"
for config in configs/demo/experiment.ini configs/experiment.ini; do
  AU_BIN=$bin bash jobs/experiment.sh --dry-run "$config" > "$work/plan.txt" || { cat "$work/plan.txt"; fail "$config"; }
  grep -q "dry run: nothing submitted" "$work/plan.txt" || fail "$config: no plan"
done
grep -q "train_au .*array of 5 .*after aftercorr:train_expression" "$work/plan.txt" || { cat "$work/plan.txt"; fail "chain"; }
sed 's/train.lr = 0.0005/train.learning_rate = 0.0005/' configs/demo/experiment.ini > "$work/bad.ini"
rc=0
AU_BIN=$bin bash jobs/experiment.sh --dry-run "$work/bad.ini" 2> "$work/err.txt" || rc=$?
[ "$rc" -eq 64 ] || fail "a wrong option exited $rc, expected 64"
grep -q "bad.ini:25: au_train has no option 'train.learning_rate'" "$work/err.txt" || { cat "$work/err.txt"; fail "message"; }
echo OK
