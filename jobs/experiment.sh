#!/usr/bin/env bash
# The paper's whole experiment from one file: jobs/experiment.sh --dry-run CONFIG (see
# jobs/experiment.sh --help). Runs with the project's Python (jobs/setup.sh makes .venv).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
python=$AU_REPO/.venv/bin/python
[ -x "$python" ] || python=python3
exec "$python" "$AU_REPO/jobs/experiment/cli.py" "$@"
