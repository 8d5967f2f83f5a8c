#!/usr/bin/env bash
# Seed corpora for the fuzz targets, from a small synthetic dataset (au_synth, then au_prep)
# and the repository's own files: make_corpus.sh BIN_DIR OUT_DIR writes OUT_DIR/<target>/.
set -euo pipefail
bin=$1
out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d -t au_corpus.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$bin/au_synth" --synth.out "$work/data" --synth.seed 11 --synth.train_videos 2 \
  --synth.validation_videos 1 --synth.test_videos 2 --synth.min_frames 8 --synth.max_frames 12 \
  > "$work/synth.log" 2>&1 || { cat "$work/synth.log"; exit 1; }
# (Open MPI's leaks at exit would fail a sanitizer build's au_prep: jobs/test_sanitizers.sh)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$bin/au_prep" --data.root "$work/data" --prep.out "$work/shards" --prep.folds 2 \
  > "$work/prep.log" 2>&1 || { cat "$work/prep.log"; exit 1; }

for t in annotation_file video_list test_template manifest ensemble_spec safetensors_header \
         ini_config submission face_image; do
  mkdir -p "$out/$t"
done
sets=$work/data/names_of_videos_in_each_test_set
find "$work/data/annotations" -name '*.txt' | sort | head -4 | while read -r f; do
  cp "$f" "$out/annotation_file/$(basename "$f")"
done
cp "$sets"/*release.txt "$out/video_list/"
cp "$sets"/*template.csv "$out/test_template/"
cp "$work/shards/manifest.json" "$out/manifest/"
cp "$here"/seeds/ensemble_spec/*.json "$out/ensemble_spec/"
cp "$repo"/configs/*.ini "$out/ini_config/"
for f in "$repo"/configs/demo/*.ini; do cp "$f" "$out/ini_config/demo_$(basename "$f")"; done
# Submissions: an ABAW3 video file (the annotation format) and an ABAW5 file from the template.
find "$work/data/test_ground_truth" -name '*.txt' | sort | head -2 | while read -r f; do
  cp "$f" "$out/submission/abaw3_$(basename "$f")"
done
awk -F, 'NR == 1 { print "image_location,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26"; next }
         NR <= 30 { print $1 ",0,1,0,0,1,1,0,0,0,1,0,0" }' "$sets"/*template.csv \
  > "$out/submission/abaw5.csv"
find "$work/data/cropped_aligned" -name '*.jpg' | sort | head -3 | while read -r f; do
  cp "$f" "$out/face_image/$(basename "$(dirname "$f")")_$(basename "$f")"
done
# Two safetensors files: one tensor, and two with metadata.
python3 - "$out/safetensors_header" <<'PY'
import json, struct, sys
def write(path, header, data):
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
write(sys.argv[1] + "/one.safetensors",
      {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}, bytes(16))
write(sys.argv[1] + "/two.safetensors",
      {"__metadata__": {"format": "pt"},
       "a": {"dtype": "BF16", "shape": [3], "data_offsets": [0, 6]},
       "b": {"dtype": "U8", "shape": [0, 4], "data_offsets": [6, 6]}}, bytes(6))
PY
