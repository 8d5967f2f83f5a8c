# Sourced by the training tests: make_train_data DIR writes a small synthetic dataset and its
# shards (2 ranks, 3 folds) to DIR/data and DIR/shards.
make_train_data() {
  local dir=$1
  "$bin/au_synth" --synth.out "$dir/data" --synth.seed 7 --synth.train_videos 6 --synth.validation_videos 3 \
    --synth.test_videos 2 --synth.min_frames 60 --synth.max_frames 120 > "$dir/synth.log" 2>&1 \
    || { cat "$dir/synth.log"; fail "au_synth failed"; }
  mpi_run 2 "$bin/au_prep" --data.root "$dir/data" --prep.out "$dir/shards" --prep.folds 3 \
    > "$dir/prep.log" 2>&1 || { cat "$dir/prep.log"; fail "au_prep failed"; }
}
