#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz over their seed corpora and tables what they did.
#   run_fuzzers.sh BIN_DIR OUT_DIR [--seconds S | --runs N] [TARGET...]
# BIN_DIR holds the fuzz_* programs (a build with -DAU_FUZZ=ON, as jobs/test_sanitizers.sh
# makes). OUT_DIR keeps the seeds, each target's growing corpus (a rerun starts from it), logs
# and any crashing input (OUT_DIR/artifacts). Default: 10 seconds per target. Prints one row per
# target (executions, coverage, corpus, result) and exits 1 when any target found a crash, a
# hang, a leak or an out-of-memory, after printing its report and the input that caused it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 2 ] || { sed -n 2,9p "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 64; }
bin=$1
out=$2
shift 2
limit=(-max_total_time=10)
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) limit=(-max_total_time="$2"); shift 2 ;;
    --runs) limit=(-runs="$2"); shift 2 ;;
    -*) echo "run_fuzzers.sh: unknown option $1" >&2; exit 64 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(annotation_file video_list test_template manifest ensemble_spec
                                    safetensors_header ini_config submission face_image)
for t in "${targets[@]}"; do
  [ -x "$bin/fuzz_$t" ] || { echo "run_fuzzers.sh: no $bin/fuzz_$t (configure with -DAU_FUZZ=ON)" >&2; exit 64; }
done

mkdir -p "$out/logs" "$out/artifacts" "$out/corpus" "$out/scratch"
[ -d "$out/seeds" ] || bash "$here/make_corpus.sh" "$bin" "$out/seeds"

dict_of() {
  case $1 in
    manifest | ensemble_spec | safetensors_header) echo "-dict=$here/dict/json.dict" ;;
    ini_config) echo "-dict=$here/dict/ini.dict" ;;
  esac
}

failed=()
printf '%-19s %12s %9s %6s %6s %8s %6s  %s\n' target executions exec/s cov ft corpus "rss_mb" result
for t in "${targets[@]}"; do
  mkdir -p "$out/corpus/$t"
  cp -n "$out/seeds/$t"/* "$out/corpus/$t/" 2> /dev/null || true
  log=$out/logs/$t.log
  # -timeout: one input may take 10 s; -rss_limit_mb: 2 GB (a parser that needs more on a
  # small input has a bug). Leaks are checked at the end of each input (detect_leaks).
  rc=0
  TMPDIR=$out/scratch "$bin/fuzz_$t" "$out/corpus/$t" $(dict_of "$t") "${limit[@]}" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" > "$log" 2>&1 || rc=$?
  execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $NF}' "$log" | tail -1)
  rss=$(awk '/stat::peak_rss_mb/ {print $NF}' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  corpus=$(find "$out/corpus/$t" -type f | wc -l)
  result=ok
  if [ "$rc" -ne 0 ]; then
    result=$(grep -oE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer): [a-z-]+|runtime error|deadly signal|timeout|out-of-memory' "$log" | head -1 || true)
    result=${result:-exit $rc}
    failed+=("$t")
  fi
  printf '%-19s %12s %9s %6s %6s %8s %6s  %s\n' "$t" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" "$corpus" "${rss:--}" "$result"
done
printf '(executions: inputs run; cov/ft: code edges and features libFuzzer saw in instrumented code, ours only)\n'

for t in "${failed[@]}"; do
  echo "=== fuzz_$t failed: $out/logs/$t.log" >&2
  grep -v '^#[0-9]' "$out/logs/$t.log" | tail -40 >&2
  ls "$out/artifacts/$t-"* 2> /dev/null | sed 's/^/input: /' >&2 || true
done
[ ${#failed[@]} -eq 0 ]
