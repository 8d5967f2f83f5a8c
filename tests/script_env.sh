# Sourced by the end-to-end test scripts: what ctest passes in (au_add_script_test) and helpers.
bin=${AU_BIN:?AU_BIN must name build/bin (run through ctest)}
read -r -a mpi_flags <<< "${AU_MPIEXEC_FLAGS:-}"
python=${AU_PYTHON:-python3}

fail() { echo "FAIL: $*" >&2; exit 1; }
# mpi_run N program args...: N ranks with the flags this machine needs.
mpi_run() { local n=$1; shift; "${AU_MPIEXEC:-mpiexec}" -n "$n" "${mpi_flags[@]}" "$@"; }
# True when the project's Python can read shards (jobs/setup.sh installs these).
have_python_shard_tools() { "$python" -c "import h5py, numpy, crc32c" 2> /dev/null; }
