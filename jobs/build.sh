#!/usr/bin/env bash
# Builds the programs (all of them, or the named CMake targets) into build/bin. The launchers
# (jobs/train.sh, jobs/infer.sh, jobs/prep.sh) do not build: run this once before submitting.
# Usage: jobs/build.sh [targets...]     e.g. jobs/build.sh au_train_app au_infer_app
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
au_build "$@"
