#!/usr/bin/env bash
# The sanitizer and fuzzing part of the test suite (jobs/test.sh runs it after ctest), on the
# parts without torch, each in a build folder of its own (clang):
#   1. build-asan: AddressSanitizer + UndefinedBehaviorSanitizer, with libFuzzer's coverage;
#      ctest over the unit tests (leaks checked), the MPI tests and the torch-free end-to-end
#      tests (au_prep, au_eval; leaks not checked: Open MPI's own leaks at exit are unnamed);
#   2. every fuzz target of tests/fuzz for AU_FUZZ_SECONDS (default 5) over seeds from au_synth;
#   3. build-tsan: ThreadSanitizer over the tests of the threaded parts and au_prep end to end.
# Any sanitizer report fails the test that caused it. Suppressions (third-party code only):
# tests/sanitizers/. Set AU_SANITIZER_STEPS to a subset of "asan fuzz tsan" to run fewer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

steps=${AU_SANITIZER_STEPS:-asan fuzz tsan}
supp=$AU_REPO/tests/sanitizers
asan_build=${AU_ASAN_BUILD:-$AU_REPO/build-asan}
tsan_build=${AU_TSAN_BUILD:-$AU_REPO/build-tsan}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$supp/lsan.supp
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$supp/tsan.supp"
# The Python checks (house, experiment plan) do not change under a sanitizer.
not_cpp='^(house_|experiment_plan)'

# configure_build FOLDER CMAKE_ARGS...: once, with clang and without torch.
configure_build() {
  local dir=$1
  shift
  [ -f "$dir/CMakeCache.txt" ] && return 0
  cmake -S "$AU_REPO" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DAU_WITH_TORCH=OFF "$@" > "$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; return 1; }
}

section() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

if [[ " $steps " == *" asan "* || " $steps " == *" fuzz "* ]]; then
  section "AddressSanitizer + UndefinedBehaviorSanitizer build: $asan_build"
  configure_build "$asan_build" -DAU_FUZZ=ON
  cmake --build "$asan_build" -j "$(nproc)"
fi
if [[ " $steps " == *" asan "* ]]; then
  section "ASan + UBSan: unit tests, leaks checked"
  (cd "$asan_build" && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$(nproc)" -LE mpi -E "$not_cpp")
  section "ASan + UBSan: MPI and end-to-end tests"
  (cd "$asan_build" && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure -j "$(nproc)" -L mpi -E synth_learnable)
fi
if [[ " $steps " == *" fuzz "* ]]; then
  section "fuzzing: ${AU_FUZZ_SECONDS:-5} s per target"
  fuzz_out=$asan_build/fuzz
  rm -rf "$fuzz_out/artifacts"
  bash "$AU_REPO/tests/fuzz/run_fuzzers.sh" "$asan_build/bin" "$fuzz_out" --seconds "${AU_FUZZ_SECONDS:-5}"
fi
if [[ " $steps " == *" tsan "* ]]; then
  # Only what has threads: the unit tests of common (progress, serial executor), data
  # (prefetch, shard dataset) and infer (frame decoders), the MPI tests (work dispatcher,
  # global progress, rank watch) and au_prep end to end (shard committer).
  section "ThreadSanitizer build: $tsan_build"
  configure_build "$tsan_build" -DAU_SANITIZE=thread
  threaded=(common_test data_test infer_test)
  cmake --build "$tsan_build" -j "$(nproc)" --target "${threaded[@]}" mpi_test au_prep au_synth
  section "TSan: the threaded parts' unit and MPI tests, au_prep end to end"
  for t in "${threaded[@]}"; do
    "$tsan_build/bin/$t" --gtest_brief=1 > "$tsan_build/$t.log" 2>&1 \
      || { cat "$tsan_build/$t.log"; echo "$t failed under ThreadSanitizer" >&2; exit 1; }
    grep -E '^\[  PASSED' "$tsan_build/$t.log" | sed "s/^/$t: /"
  done
  (cd "$tsan_build" && ctest --output-on-failure -j "$(nproc)" -R '^(mpi_test_np[23]|au_prep_e2e)$')
fi
section "sanitizers and fuzzing: all passed"
