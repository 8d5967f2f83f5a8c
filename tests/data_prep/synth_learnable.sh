#!/usr/bin/env bash
# The synthetic dataset's purpose is to be learnable: generate the demo's dataset, shard it
# with 2 ranks, and check with h5py that a linear classifier on the validation split beats a
# constant predictor by a clear margin (tests/data_prep/check_shards.py --learnable).
set -euo pipefail
bin=${AU_BIN:?AU_BIN must name build/bin}
read -r -a mpi_flags <<< "${AU_MPIEXEC_FLAGS:-}"
python=${AU_PYTHON:-python3}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
configs=$here/../../configs/demo
work=$(mktemp -d -t au_learnable.XXXXXX)
trap 'rm -rf "$work"' EXIT

if ! "$python" -c "import h5py, numpy, crc32c" 2> /dev/null; then
  echo "SKIP: $python has no h5py/numpy (run jobs/setup.sh)"
  exit 0
fi
"$bin/au_synth" --config "$configs/synth.ini" --synth.out "$work/data" > /dev/null
"${AU_MPIEXEC:-mpiexec}" -n 2 "${mpi_flags[@]}" "$bin/au_prep" --config "$configs/prep.ini" \
  --data.root "$work/data" --prep.out "$work/shards" > /dev/null 2>&1
"$python" "$here/check_shards.py" "$work/shards" --learnable --margin 0.2
