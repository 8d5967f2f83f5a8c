#!/usr/bin/env bash
# The main job on the embedded synthetic dataset: the paper's whole experiment at toy scale, as
# one command. Installs what is missing, builds, makes the synthetic dataset (au_synth, once),
# then runs configs/demo/experiment.ini with jobs/experiment.sh --local:
#   1. au_prep with 2 MPI ranks: HDF5 shards and the label table,
#   2. au_train with 2 MPI ranks: a small AU model, then a second one chained from it,
#   3. au_select: per AU the best checkpoint, threshold and smoothing window on validation,
#   4. au_infer with 2 MPI ranks: the ensemble over the test videos -> ABAW submission files,
#   5. au_check and au_eval: the submission checked and scored against the test ground truth,
#   6. the report: runs/demo/report/index.html (open it in a browser) and report.json.
# Output goes to runs/demo/; about 5 minutes on 2 cores. Run it again to finish an interrupted
# demo (what is done is skipped); rm -rf runs/demo to start afresh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$AU_REPO/jobs/setup.sh"
au_build au_synth au_prep au_train_app au_select au_infer_app au_check au_eval

cd "$AU_REPO"
data=runs/demo/data
if [ ! -f "$data/.synth_done" ]; then
  echo "== synthetic dataset -> $data"
  "$AU_BIN/au_synth" --config configs/demo/synth.ini --synth.out "$data" --synth.overwrite
  touch "$data/.synth_done"
fi
echo "== the demo experiment: jobs/experiment.sh --local configs/demo/experiment.ini"
bash jobs/experiment.sh --local configs/demo/experiment.ini
echo "== done. Report: $AU_REPO/runs/demo/report/index.html"
echo "   submission runs/demo/submission/submission.csv (ABAW5) and runs/demo/submission/abaw3/ (ABAW3);"
echo "   scores runs/demo/test_scores.json; selection runs/demo/selection.txt; runs runs/demo/runs/"
