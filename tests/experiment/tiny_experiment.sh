# Sourced by the experiment tests: write_tiny_experiment FILE OUT EXTRA_EXPERIMENT EXTRA_A
# EXTRA_B writes an experiment of 2 base models (b chained from a) x folds 0 and 1 on the data
# of make_train_data ($work/data, $work/shards), with the tiny training config; each EXTRA is
# more lines for [experiment], [model a] and [model b].
write_tiny_experiment() {
  local file=$1 out=$2 data=$work/data
  cat > "$file" << INI
[experiment]
out = $out
shards = $work/shards
train_config = configs/test/train_tiny.ini
folds = 0..1
ranks_per_run = 2
$3

[model a]
init = none
$4

[model b]
init = model a
train.epochs = 1
$5

[infer]
infer.threads = 1
infer.videos = $data/names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt

[eval]
eval.annotations = $data/test_ground_truth/AU_Detection_Challenge/Test_Set
INI
}
