#!/usr/bin/env bash
# The main job on the embedded synthetic dataset, the paper's whole pipeline at toy scale:
# installs what is missing, builds, then
#   1. au_synth: a synthetic dataset in the Aff-Wild2 layout (with test ground truth),
#   2. au_prep with 2 MPI ranks: HDF5 shards,
#   3. au_train with 2 MPI ranks: a small AU model, validated after every epoch,
#   4. au_select: per AU the best epoch, threshold and smoothing window on validation,
#   5. au_infer with 2 MPI ranks: the ensemble over the test videos -> ABAW submission files,
#   6. au_check and au_eval: the submission checked and scored against the test ground truth.
# Output goes to runs/demo/ (override with AU_DEMO_DIR); about 5 minutes on 2 cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$AU_REPO/jobs/setup.sh"
au_build au_synth au_prep au_train_app au_select au_infer_app au_check au_eval

demo=${AU_DEMO_DIR:-$AU_REPO/runs/demo}
mkdir -p "$demo"
data=$demo/data
list=$data/names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt
template=$data/names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_template.csv
echo "== 1. synthetic dataset -> $data"
"$AU_BIN/au_synth" --config "$AU_REPO/configs/demo/synth.ini" --synth.out "$data" --synth.overwrite
echo "== 2. au_prep with 2 MPI ranks -> $demo/shards"
au_launch 2 "$AU_BIN/au_prep" --config "$AU_REPO/configs/demo/prep.ini" \
  --data.root "$data" --prep.out "$demo/shards"
echo "== 3. au_train with 2 MPI ranks (IResNet-18, width 16, video reference faces, 4 short epochs) -> $demo/train"
rm -rf "$demo/train"
bash "$AU_REPO/jobs/train.sh" 2 "$AU_REPO/configs/demo/train.ini" "$demo/train" --train.shards "$demo/shards"
echo "== 4. au_select: per-AU checkpoint, threshold and window on validation -> $demo/ensemble.json"
"$AU_BIN/au_select" --select.runs "$demo/train" --select.out "$demo/ensemble.json" \
  --select.report "$demo/selection.txt"
echo "== 5. au_infer with 2 MPI ranks over the test videos -> $demo/submission"
bash "$AU_REPO/jobs/infer.sh" 2 "$demo/ensemble.json" "$demo/shards" "$demo/submission" \
  --infer.videos "$list" --infer.template "$template"
echo "== 6. au_check and au_eval against the synthetic test ground truth"
"$AU_BIN/au_check" --check.submission "$demo/submission/submission.csv" --check.videos "$list" \
  --check.template "$template"
"$AU_BIN/au_eval" --eval.submission "$demo/submission/submission.csv" --eval.videos "$list" \
  --eval.annotations "$data/test_ground_truth/AU_Detection_Challenge/Test_Set" --eval.json "$demo/test_scores.json"
echo "== done. Submission: $demo/submission/submission.csv (ABAW5) and $demo/submission/abaw3/ (ABAW3);"
echo "   smoothed probabilities $demo/submission/probabilities.csv; scores $demo/test_scores.json;"
echo "   selection report $demo/selection.txt; checkpoints and validation results $demo/train"
