#!/usr/bin/env bash
# Runs one stage of an experiment and, when it succeeds, writes its stamp: the command, one
# argument per line. A stage is complete when its stamp holds the command the plan gives now
# and is newer than every input (jobs/experiment/stages.py); locally and in a Slurm job alike.
# Beside the stamp, NAME.time.json says how long the stage ran and where (the report's table).
# Usage: jobs/experiment/run_stage.sh STAMP -- COMMAND [ARGS...]
set -euo pipefail
[ $# -ge 3 ] && [ "$2" = "--" ] || { echo "usage: $0 STAMP -- COMMAND [ARGS...]" >&2; exit 64; }
stamp=$1
shift 2
rm -f "$stamp"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
start=$(date +%s.%N)
"$@"
end=$(date +%s.%N)
mkdir -p "$(dirname "$stamp")"
printf '{"seconds": %s, "started": "%s", "host": "%s"}\n' \
  "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')" "$started" "$(hostname)" \
  > "${stamp%.*}.time.json.tmp"
mv "${stamp%.*}.time.json.tmp" "${stamp%.*}.time.json"
printf '%s\n' "$@" > "$stamp.tmp"
mv "$stamp.tmp" "$stamp"
