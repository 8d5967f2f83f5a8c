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
# data_prep/convert_backbone.py and the model reference tests; matplotlib draws the run report.
want_torch=$("$venv/bin/python" -c "import torch; print(torch.__version__.split('+')[0])" 2>/dev/null || true)
if [ "$want_torch" != "$torch_version" ] || ! "$venv/bin/python" -c "import h5py, numpy, crc32c, safetensors, matplotlib" 2>/dev/null; then
  echo "setup: installing torch==$torch_version, numpy, h5py, crc32c, safetensors, matplotlib into $venv (first time: a few minutes)"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "torch==$torch_version" numpy h5py crc32c safetensors \
    matplotlib
fi

# The pinned clang-format of the format check (tests/house/check_format.sh): one version for
# every machine, whatever its distribution ships.
clang_format_version=18.1.8
if ! "$venv/bin/clang-format" --version 2>/dev/null | grep -q "version $clang_format_version"; then
  echo "setup: installing clang-format==$clang_format_version into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "clang-format==$clang_format_version"
fi

echo "setup: ok (torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)'), $(mpirun --version 2>/dev/null | head -1))"
