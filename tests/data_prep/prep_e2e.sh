#!/usr/bin/env bash
# End to end: au_synth writes a tiny dataset, au_prep shards it under mpiexec with 1, 2 and 3
# ranks. Checks: identical output for every rank count, h5dump and h5py read the shards and
# agree with the manifest, a killed run leaves no incomplete shard under a final name and its
# rerun equals an uninterrupted run, bad input exits 65 naming file and line with nothing
# written, bad options exit 64.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d -t au_prep_e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT

prep() { local n=$1; shift; mpi_run "$n" "$bin/au_prep" "$@"; }
same_tree() {  # same files with the same bytes
  (cd "$1" && find . -type f | sort | xargs md5sum) > "$work/a.md5"
  (cd "$2" && find . -type f | sort | xargs md5sum) > "$work/b.md5"
  diff -u "$work/a.md5" "$work/b.md5" || fail "$1 and $2 differ"
}

echo "== dataset"
"$bin/au_synth" --synth.out "$work/ds" --synth.train_videos 5 --synth.validation_videos 2 \
  --synth.test_videos 2 --synth.min_frames 40 --synth.max_frames 80 --synth.pair_fraction 0.4 \
  --synth.seed 7 > "$work/synth.txt"
# One corrupt image (truncated): a warning, recorded as unreadable, not fatal.
victim=$(find "$work/ds/cropped_aligned" -name '00010.jpg' | sort | head -1)
head -c 300 "$victim" > "$victim.part" && mv "$victim.part" "$victim"
common=(--data.root "$work/ds" --prep.shard_frames 150 --prep.progress_interval 0.2)

echo "== 1, 2 and 3 ranks give the same shards and manifest"
for n in 1 2 3; do
  prep "$n" "${common[@]}" --prep.out "$work/out$n" > "$work/table$n.txt" 2> "$work/log$n.txt" \
    || { cat "$work/log$n.txt"; fail "au_prep with $n ranks"; }
done
same_tree "$work/out1" "$work/out2"
same_tree "$work/out1" "$work/out3"
grep -q "^AU26 " "$work/table2.txt" || fail "no label table printed"
grep -q "frames/s, ETA" "$work/log3.txt" || fail "no progress line"
grep -q "unreadable 1" "$work/table2.txt" || fail "the truncated JPEG is not counted"
grep -q "recorded as a frame without a face" "$work/log1.txt" || fail "no warning for the truncated JPEG"
[ "$(ls "$work/out2"/*.h5 | wc -l)" -ge 4 ] || fail "expected several shards"

echo "== readable by h5dump and h5py, consistent with the manifest"
h5dump -H "$work/out2/train-00000.h5" | grep -q 'DATASET "images"' || fail "h5dump cannot read a shard"
h5dump -d labels -c "3,12" "$work/out2/train-00000.h5" > /dev/null || fail "h5dump cannot read labels"
if have_python_shard_tools; then
  "$python" "$here/check_shards.py" "$work/out2"
else
  echo "SKIP h5py check: no h5py in $python (run jobs/setup.sh)"
fi

echo "== a killed run leaves no incomplete shard under a final name; the rerun equals an uninterrupted run"
if AU_FAILPOINTS="prep.frame_written[written=200]=crash" prep 2 "${common[@]}" --prep.out "$work/killed" \
  > /dev/null 2> "$work/kill.log"; then
  fail "the run with the prep.frame_written failpoint should have died"
fi
ls "$work/killed" | grep -q '\.tmp\.' || fail "expected a temporary file left by the killed rank"
[ ! -e "$work/killed/manifest.json" ] || fail "manifest written by a killed run"
for f in "$work"/killed/*.h5; do
  [ -e "$f" ] || continue
  h5dump -a complete "$f" | grep -q '(0): 1' || fail "$f is under its final name but incomplete"
done
kept_before=$(ls "$work"/killed/*.h5 2> /dev/null | wc -l)
prep 2 "${common[@]}" --prep.out "$work/killed" > /dev/null 2> "$work/rerun.log" || { cat "$work/rerun.log"; fail "rerun"; }
[ "$kept_before" -eq 0 ] || grep -q "complete shard from the same plan kept" "$work/rerun.log" || fail "rerun did not keep complete shards"
same_tree "$work/out2" "$work/killed"

echo "== bad input: exit 65, the message names file and line, nothing written"
expect_data_error() {  # name, expected message part; the dataset is in $work/bad
  local name=$1 pattern=$2 rc=0
  prep 2 --data.root "$work/bad" --prep.out "$work/bad_out_$name" > /dev/null 2> "$work/bad_$name.log" || rc=$?
  [ "$rc" -eq 65 ] || { cat "$work/bad_$name.log"; fail "$name: exit $rc, expected 65"; }
  grep -q -- "$pattern" "$work/bad_$name.log" || { cat "$work/bad_$name.log"; fail "$name: no '$pattern' in the error"; }
  [ -z "$(ls -A "$work/bad_out_$name" 2> /dev/null)" ] || fail "$name: output written despite bad input"
}
fresh_bad() { rm -rf "$work/bad"; cp -r "$work/ds" "$work/bad"; }
ann="$work/bad/annotations/AU_Detection_Challenge/Train_Set"
first_ann() { find "$ann" -name '*.txt' | sort | head -1; }

fresh_bad; f=$(first_ann); sed -i '1s/AU26/AU27/' "$f"
expect_data_error header "$(basename "$f"):1: wrong header"
fresh_bad; f=$(first_ann); sed -i '5s/^[^,]*,//' "$f"
expect_data_error count "$(basename "$f"):5: expected 12 comma-separated values, found 11"
fresh_bad; f=$(first_ann); sed -i '7s/^[^,]*,/2,/' "$f"
expect_data_error value "$(basename "$f"):7: value '2' of AU1"
fresh_bad; cp "$(first_ann)" "$ann/ghost_video.txt"
expect_data_error no_folder "ghost_video.txt: video 'ghost_video' has no frame folder"

echo "== awkward but valid: an annotation file with a header and no rows is a warning"
fresh_bad; f=$(first_ann); head -1 "$f" > "$f.part" && mv "$f.part" "$f"
rc=0; prep 2 --data.root "$work/bad" --prep.out "$work/header_only" > /dev/null 2> "$work/header_only.log" || rc=$?
[ "$rc" -eq 0 ] || { cat "$work/header_only.log"; fail "a header-only annotation file: exit $rc"; }
grep -q "$(basename "$f"): a header and no rows: video $(basename "$f" .txt) has no labelled frames" \
  "$work/header_only.log" || { cat "$work/header_only.log"; fail "no warning for a header-only annotation file"; }

echo "== bad options: exit 64"
rc=0; prep 2 --prep.bogus 1 > /dev/null 2> "$work/usage.log" || rc=$?
[ "$rc" -eq 64 ] || fail "unknown option: exit $rc, expected 64"
[ "$(grep -c "unrecognised option" "$work/usage.log")" -eq 1 ] || fail "the usage error should be printed once"
rc=0; prep 1 --prep.folds 1 > /dev/null 2>&1 || rc=$?
[ "$rc" -eq 64 ] || fail "--prep.folds 1: exit $rc, expected 64"
prep 2 --help | grep -q -- "--prep.shard_frames" || fail "--help does not list the options"
prep 1 --prep.folds 3 --dump-config | grep -q "^folds = 3$" || fail "--dump-config does not show overrides"

echo "all au_prep end-to-end checks passed"
