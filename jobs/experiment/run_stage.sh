#!/usr/bin/env bash
# Runs one stage of an experiment and, when it succeeds, writes its stamp: the command, one
# argument per line. A stage is complete when its stamp holds the command the plan gives now
# and is newer than every input (jobs/experiment/stages.py); locally and in a Slurm job alike.
# Usage: jobs/experiment/run_stage.sh STAMP -- COMMAND [ARGS...]
set -euo pipefail
[ $# -ge 3 ] && [ "$2" = "--" ] || { echo "usage: $0 STAMP -- COMMAND [ARGS...]" >&2; exit 64; }
stamp=$1
shift 2
rm -f "$stamp"
"$@"
mkdir -p "$(dirname "$stamp")"
printf '%s\n' "$@" > "$stamp.tmp"
mv "$stamp.tmp" "$stamp"
