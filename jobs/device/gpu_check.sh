#!/usr/bin/env bash
# The GPU check, run on a lent GPU machine from the bundle jobs/device/pack.sh makes here
# (rehearsed first with jobs/device/rehearse.sh, which runs it on the CPU in another distribution):
#   bash device/bundle/gpu_check.sh          (about 5 minutes on one H200)
# Stages, each stopping the check with its log's last lines if it fails:
#   env       the GPU, the machine's torch, au_buildinfo through the bundled Open MPI;
#   tests     GPU against CPU (augmentation, training step, bf16 + channels_last, checkpoints,
#             captured step, multi-tensor SGD), NCCL (unique id, fp32/bf16 allreduce, timeout),
#             MPI staging of CUDA tensors;
#   train     training images/s of the AU model (r100 + FPN + SSH + coordinate attention, bf16
#             autocast, channels_last): C++ eager, C++ captured in a CUDA graph, the PyTorch peer;
#   au_train  au_train on the GPU end to end, stopped after one epoch and resumed for a second;
#             the big model trained with its step as a CUDA graph and eagerly: same losses, and
#             the speed of a 68-step epoch;
#   infer     inference frames/s: au_bench_infer (K = 1 and 3 checkpoints; eager and as CUDA
#             graphs; BatchNorm folded, and not at the largest batch) and the PyTorch peer;
#   au_infer  au_infer on the GPU (fp32, bf16, fp32 replayed as CUDA graphs) against the CPU on
#             the same checkpoints: the share of submission entries (frame x AU, 0/1) that differ;
#   profile   (only when named in AU_CHECK_STAGES) the PyTorch peer's training step and
#             forward pass at the largest batches under torch.profiler: the operators that take
#             the GPU's time.
# Logs go to one folder, packed as logs.tgz; the summary table is printed last and kept as
# summary.md (both under $OUT, or /tmp/au_gpu_check). Programs run through the bundled loader,
# libraries and Open MPI plugins; LibTorch, CUDA and NCCL come from the machine's torch wheel.
# AU_CHECK_DEVICE=cpu runs every stage on the CPU at toy sizes (the rehearsal). AU_CHECK_KEEP_GOING=1
# runs the later stages after a failed one (a first call on a new machine, to learn the most);
# AU_CHECK_STAGES="env tests" runs only the stages named (a rerun of what failed; au_infer uses
# the run the au_train stage trains, so name both).
set -uo pipefail
bundle=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${OUT:-/tmp/au_gpu_check}
logs=$out/logs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$logs"
mkdir -p "$logs"
device=${AU_CHECK_DEVICE:-cuda}
python=${AU_GPU_PYTHON:-python3}
if [ "$device" = cuda ]; then
  depth=100 train_batches="64 128 256" infer_batches="128 512" steps=20 warmup=5 precision=bf16 small_depth=18 graph_batch=64 max_steps=0
else  # the rehearsal: every program starts and finishes; the numbers mean nothing
  depth=18 train_batches="4" infer_batches="4" steps=1 warmup=1 precision=fp32 small_depth=18 graph_batch=8 max_steps=2
fi

torch_dir=$("$python" -c "import os, torch; print(os.path.dirname(torch.__file__))") \
  || { echo "gpu_check: $python has no torch"; exit 1; }
site=$(dirname "$torch_dir")
libs=$bundle/lib:$torch_dir/lib
for d in "$site"/nvidia/*/lib "$site"/nvidia/cu*/lib; do [ -d "$d" ] && libs=$libs:$d; done
# The driver's libcuda may sit where only LD_LIBRARY_PATH points (containers): keep it, last.
libs=$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
run() {  # run PROGRAM ARGS...: through the bundled loader, so this distribution's glibc does not matter
  local p=$1
  shift
  # A hung program must not eat the device time: each one gets a few minutes at most.
  timeout -k 5 "${AU_CHECK_PROGRAM_TIMEOUT:-180}" "$bundle/lib/ld-linux-x86-64.so.2" --library-path "$libs" "$bundle/bin/$p" "$@"
}
# measure FIELD PATTERN COMMAND...: runs COMMAND (its output goes to the stage's log) and sets
# $value to field FIELD of its output line that starts with PATTERN; fails if there is none.
measure() {
  local field=$1 pattern=$2 text rc
  shift 2
  text=$("$@" 2>&1)
  rc=$?
  printf '%s\n' "$text"
  [ "$rc" -eq 0 ] || return "$rc"
  value=$(awk -v p="^$pattern" -v f="$field" '$0 ~ p {print $f}' <<< "$text")
  [ -n "$value" ] || { echo "no '$pattern' line in that output"; return 1; }
}
# Open MPI and PMIx find the bundle's plugins, help texts and settings, never the machine's own.
export OPAL_PREFIX=$bundle/openmpi OPAL_LIBDIR=$bundle/lib OPAL_PKGLIBDIR=$bundle/openmpi/plugins \
  OPAL_PKGDATADIR=$bundle/openmpi/share OPAL_SYSCONFDIR=$bundle/openmpi/etc OPAL_DATADIR=$bundle/openmpi/share
export OMPI_MCA_mca_base_component_path=$bundle/openmpi/plugins OMPI_MCA_mca_base_param_files=$bundle/openmpi/etc/openmpi-mca-params.conf
export PMIX_INSTALL_PREFIX=$bundle/pmix PMIX_MCA_mca_base_component_path=$bundle/pmix/plugins
# One process started alone (an MPI singleton) with no daemon to start.
export OMPI_MCA_plm=isolated OMPI_MCA_ess_singleton_isolated=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export PYTHONUNBUFFERED=1

check_start=$(date +%s) failed=0
known_stages=" env tests train au_train infer au_infer profile "
for name in ${AU_CHECK_STAGES:-}; do
  [[ "$known_stages" == *" $name "* ]] || { echo "gpu_check: no stage '$name' (stages:$known_stages)"; exit 64; }
done
stages=() perf=()
summary() {
  {
    echo "| stage | result | seconds |"
    echo "| --- | --- | --- |"
    printf '%s\n' "${stages[@]}"
    if [ ${#perf[@]} -gt 0 ]; then
      echo
      echo "| what ($device, $precision) | batch | PyTorch peer | C++ eager | C++ CUDA graph | best C++ / peer |"
      echo "| --- | --- | --- | --- | --- | --- |"
      printf '%s\n' "${perf[@]}"
    fi
    echo
    echo "total $(($(date +%s) - check_start)) s; logs: $out/logs.tgz"
  } > "$out/summary.md"
  tar czf "$out/logs.tgz" -C "$out" logs && rm -rf "$logs"
  echo "== summary"
  cat "$out/summary.md"
}
# stage NAME FUNCTION: runs it with its output in logs/NAME.log; stops the check if it fails.
stage() {
  local name=$1 start rc
  [ -z "${AU_CHECK_STAGES:-}" ] || [[ " $AU_CHECK_STAGES " == *" $name "* ]] || return 0
  start=$(date +%s)
  echo "== $name"
  "$2" > "$logs/$name.log" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ]; then
    stages+=("| $name | FAILED (exit $rc) | $(($(date +%s) - start)) |")
    echo "gpu_check: stage $name failed (exit $rc); the end of logs/$name.log:"
    tail -25 "$logs/$name.log"
    failed=1
    [ "${AU_CHECK_KEEP_GOING:-0}" = 1 ] && return
    summary
    exit 1
  fi
  stages+=("| $name | ok: $(tail -1 "$logs/$name.log") | $(($(date +%s) - start)) |")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN {print (a > b) ? a : b}'; }

env_stage() {
  if command -v nvidia-smi > /dev/null; then nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; fi
  "$python" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" || return 1
  run au_buildinfo | tee "$work/buildinfo.txt" || return 1
  grep -q "NCCL compiled: yes" "$work/buildinfo.txt" || { echo "this bundle has no NCCL"; return 1; }
  if [ "$device" = cuda ]; then
    grep -q "GPUs visible: [1-9]" "$work/buildinfo.txt" || { echo "no GPU visible to LibTorch"; return 1; }
  fi
  grep "GPUs visible" "$work/buildinfo.txt"
}

tests_stage() {
  run gpu_test || return 1
  run train_torch_test --gtest_filter='MultiTensorSgd.*' || return 1
  # One rank (an MPI singleton): the GPU communicator tests only; the rest need 2-3 ranks.
  run distributed_test --gtest_filter='GpuCommunicators.*' || return 1
  run loader_test || return 1
  if [ "$device" = cuda ] && grep -q "SKIPPED \]" "$logs/tests.log"; then
    echo "GPU tests skipped on a GPU machine"
    return 1
  fi
  echo "$(grep -c "^\[       OK \]" "$logs/tests.log") tests passed, $(grep -c "SKIPPED \] [A-Z]" "$logs/tests.log") skipped"
}

train_stage() {
  local batch cpp_eager cpp_graph peer
  local common
  for batch in $train_batches; do
    common=(--bench.device "$device" --bench.precision "$precision" --model.depth "$depth" --bench.batch "$batch"
      --bench.steps "$steps" --bench.warmup "$warmup" --bench.threads 8)
    measure 6 cpp run au_bench_train "${common[@]}" || return 1
    cpp_eager=$value
    measure 6 cpp run au_bench_train "${common[@]}" --bench.graph true || return 1
    cpp_graph=$value
    measure 6 python "$python" "$bundle/peer/src/train/bench/train_bench.py" --device "$device" --precision "$precision" \
      --depth "$depth" --batch "$batch" --steps "$steps" --warmup "$warmup" --threads 8 || return 1
    peer=$value
    perf+=("| training img/s, r$depth AU model | $batch | $peer | $cpp_eager | $cpp_graph | $(ratio "$(max "$cpp_eager" "$cpp_graph")" "$peer") |")
  done
  echo "${#perf[@]} batch sizes measured"
}

au_train_stage() {
  # Stopped after epoch 1 (as a time limit would), then resumed for epoch 2.
  local common=(--train.shards "$bundle/shards" --train.run_dir "$work/run" --model.depth "$small_depth"
    --train.global_batch 32 --train.device "$device" --train.precision "$precision" --train.progress_interval_s 5)
  run au_train "${common[@]}" --train.epochs 1 || return 1
  run au_train "${common[@]}" --train.epochs 2 --train.resume || return 1
  grep -q "resuming from" "$logs/au_train.log" || { echo "the second run did not resume"; return 1; }
  ls "$work/run/checkpoints"
  # The big model, its step replayed as a CUDA graph and eager: the same losses, and the speed.
  # ML-ROS at 2000% clones the few bundled frames into 68 steps of 64 an epoch: the second epoch
  # times au_train's steady state (reads from the page cache, augmentation, the step, syncs).
  local big=(--train.shards "$bundle/shards" --model.depth "$depth" --model.dropout 0 --train.global_batch "$graph_batch"
    --train.ml_ros_percentage 2000 --train.epochs 2 --train.max_steps_per_epoch "$max_steps" --train.device "$device"
    --train.precision "$precision" --train.progress_interval_s 0)
  run au_train "${big[@]}" --train.run_dir "$work/graph" --train.cuda_graph true || return 1
  run au_train "${big[@]}" --train.run_dir "$work/eager" --train.cuda_graph false || return 1
  "$python" "$bundle/compare_runs.py" "$work/graph" "$work/eager" 0.02 | tee "$work/compare_runs.txt" || return 1
  perf+=("| au_train img/s, r$depth, epoch 2 | $graph_batch | | $(sed -n 's/.*eager \([0-9]*\), ratio.*/\1/p' "$work/compare_runs.txt") | $(sed -n 's/.*graph \([0-9]*\), eager.*/\1/p' "$work/compare_runs.txt") | |")
  echo "2 epochs, resumed after the first; graph and eager losses agree"
}

infer_stage() {
  local batch k cpp peer
  # Three checkpoints of the big model: three epochs of one step (speed does not depend on weights).
  run au_train --train.shards "$bundle/shards" --train.run_dir "$work/r$depth" --model.depth "$depth" \
    --train.global_batch 16 --train.epochs 3 --train.max_steps_per_epoch 1 --train.device "$device" || return 1
  for k in 1 3; do "$python" "$bundle/make_spec.py" "$work/r$depth" "$k" "$work/spec$k.json" || return 1; done
  local common graphed
  for batch in $infer_batches; do
    common=(--bench.ensemble "$work/spec1.json" --bench.device "$device" --bench.precision "$precision"
      --bench.batch "$batch" --bench.steps "$steps" --bench.warmup "$warmup")
    measure 6 infer run au_bench_infer "${common[@]}" || return 1
    cpp=$value
    measure 6 infer run au_bench_infer "${common[@]}" --bench.graph true || return 1
    graphed=$value
    measure 6 pyinfer "$python" "$bundle/peer/src/predict/bench/infer_bench.py" --device "$device" --precision "$precision" \
      --depth "$depth" --batch "$batch" --steps "$steps" --warmup "$warmup" || return 1
    peer=$value
    perf+=("| inference frames/s, r$depth, 1 checkpoint | $batch | $peer | $cpp | $graphed | $(ratio "$(max "$cpp" "$graphed")" "$peer") |")
  done
  batch=${infer_batches##* }
  # What folding the BatchNorms (au_infer's default) gains: the same runs with them unfolded.
  measure 6 infer run au_bench_infer "${common[@]}" --bench.fold_batchnorm false || return 1
  cpp=$value
  measure 6 infer run au_bench_infer "${common[@]}" --bench.fold_batchnorm false --bench.graph true || return 1
  perf+=("| inference frames/s, r$depth, 1 checkpoint, BatchNorm not folded | $batch | $peer | $cpp | $value | $(ratio "$(max "$cpp" "$value")" "$peer") |")
  measure 6 infer run au_bench_infer --bench.ensemble "$work/spec3.json" --bench.device "$device" \
    --bench.precision "$precision" --bench.batch "$batch" --bench.steps "$steps" --bench.warmup "$warmup" || return 1
  perf+=("| inference frames/s, r$depth, 3 checkpoints | $batch | | $value | | |")
  echo "frames/s measured at batch $infer_batches"
}

au_infer_stage() {
  # The au_train run's two epochs as a 2-checkpoint ensemble, on each device and precision.
  "$python" "$bundle/make_spec.py" "$work/run" 2 "$work/spec_small.json" || return 1
  # "graph": the forward passes replayed as CUDA graphs (infer.cuda_graph), a batch of 32 so
  # that each video's last batch is padded.
  local variants=("cpu fp32 eager" "cpu bf16 eager") others=() v d p g name
  [ "$device" = cuda ] && variants=("cpu fp32 eager" "cuda fp32 eager" "cuda bf16 eager" "cuda graph_fp32 graph")
  for v in "${variants[@]}"; do
    read -r d name g <<< "$v"
    p=${name#graph_}
    run au_infer_shards --infer.ensemble "$work/spec_small.json" --infer.data "$bundle/shards" --infer.batch 32 \
      --infer.out "$work/infer_${d}_$name" --infer.device "$d" --infer.precision "$p" \
      --infer.cuda_graph "$([ "$g" = graph ] && echo true || echo false)" || return 1
    [ "$v" = "cpu fp32 eager" ] || others+=("$work/infer_${d}_$name")
  done
  "$python" "$bundle/compare_submissions.py" "$work/infer_cpu_fp32" "${others[@]}" || return 1
}

profile_stage() {
  "$python" "$bundle/peer/src/train/bench/train_bench.py" --device "$device" --precision "$precision" --depth "$depth" \
    --batch "${train_batches##* }" --steps 3 --warmup 3 --profile || return 1
  "$python" "$bundle/peer/src/predict/bench/infer_bench.py" --device "$device" --precision "$precision" --depth "$depth" \
    --batch "${infer_batches##* }" --steps 3 --warmup 3 --profile || return 1
  echo "profiled training at batch ${train_batches##* }, inference at ${infer_batches##* }"
}

stage env env_stage
stage tests tests_stage
stage train train_stage
stage au_train au_train_stage
stage infer infer_stage
stage au_infer au_infer_stage
[[ " ${AU_CHECK_STAGES:-} " == *" profile "* ]] && stage profile profile_stage
summary
exit "$failed"
