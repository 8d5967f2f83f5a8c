#!/usr/bin/env bash
# The GPU check, run on a lent GPU machine from the bundle jobs/device/pack.sh makes here:
#   bash device/bundle/gpu_check.sh            (one go, about 3-5 minutes)
# 1. the GPU tests (NCCL communicator, MPI staging of CUDA tensors, augmentation on the GPU);
# 2. training images/s of r100 + FPN + SSH + coordinate attention at bf16 autocast and
#    channels_last, and the time of one fused NCCL allreduce of all its gradients;
# 3. au_train on the GPU end to end (2 short epochs on tiny shards, bf16, NCCL);
# 4. inference on the GPU: frames/s of the r100 AU model's forward passes at bf16 as au_infer
#    runs them (au_bench_infer), for ensembles of K = 1 and 3 checkpoints; then au_infer itself
#    end to end on the tiny test shards (too few frames to time: correctness and time shares).
# Programs run through the bundled loader and libraries; LibTorch, CUDA and NCCL come from the
# machine's PyTorch wheel. Prints a summary block to paste into BENCHMARKS.md.
set -uo pipefail
bundle=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${OUT:-/tmp/au_gpu_check}
mkdir -p "$out"
python=${AU_GPU_PYTHON:-python3}
torch_dir=$("$python" -c "import os, torch; print(os.path.dirname(torch.__file__))") \
  || { echo "gpu_check: $python has no torch"; exit 1; }
site=$(dirname "$torch_dir")
libs=$bundle/lib:$torch_dir/lib
for d in "$site"/nvidia/*/lib "$site"/nvidia/cu*/lib; do [ -d "$d" ] && libs=$libs:$d; done
run() {  # run PROGRAM ARGS...: through the bundled loader, so this distribution's glibc does not matter
  local p=$1
  shift
  "$bundle/lib/ld-linux-x86-64.so.2" --library-path "$libs" "$bundle/bin/$p" "$@"
}
export OMPI_MCA_plm=isolated OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
"$python" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" | tee -a "$out/gpu.txt"
run au_buildinfo 2>&1 | tee "$out/buildinfo.txt"

echo "== 1. GPU tests (one rank: MPI singleton)"
run dist_test --gtest_filter='GpuCommunicators.*' 2>&1 | tee "$out/dist_test.txt" | tail -4
run loader_test 2>&1 | tail -3

echo "== 2. r100 AU model training step, bf16, channels_last"
for batch in 64 128; do
  run au_bench_train --bench.device cuda --bench.precision bf16 --model.depth 100 --bench.batch "$batch" \
    --bench.steps 20 --bench.warmup 5 2>&1 | tee -a "$out/bench.txt" | grep "^cpp"
done
run au_bench_train --bench.device cuda --bench.precision fp32 --model.depth 100 --bench.batch 64 \
  --bench.steps 10 --bench.warmup 3 2>&1 | tee -a "$out/bench.txt" | grep "^cpp"

echo "== 3. au_train on the GPU (tiny shards, r18, 2 epochs)"
run au_train --train.shards "$bundle/shards" --train.run_dir "$out/run" --model.depth 18 \
  --train.global_batch 64 --train.epochs 2 --train.device cuda --train.progress_interval_s 5 \
  > "$out/train.log" 2>&1
echo "au_train exit $?"
grep -E "device|done in|training done|ERROR" "$out/train.log"

echo "== 4. au_infer on the GPU: r100 AU model, bf16, K = 1 and 3 checkpoints"
# Three r100 checkpoints: three epochs of one step each (speed does not depend on the weights).
run au_train --train.shards "$bundle/shards" --train.run_dir "$out/r100" --model.depth 100 \
  --train.global_batch 32 --train.epochs 3 --train.max_steps_per_epoch 1 --train.device cuda > "$out/r100.log" 2>&1
echo "au_train r100 exit $?"
for k in 1 3; do
  "$python" "$bundle/make_spec.py" "$out/r100" "$k" "$out/spec$k.json"
  for batch in 128 512; do
    run au_bench_infer --bench.ensemble "$out/spec$k.json" --bench.device cuda --bench.precision bf16 \
      --bench.batch "$batch" --bench.steps 20 --bench.warmup 3 2>&1 | tee -a "$out/infer.txt" | grep "^infer"
  done
done
run au_infer_shards --infer.ensemble "$out/spec3.json" --infer.data "$bundle/shards" --infer.out "$out/infer" \
  --infer.device cuda > "$out/infer.log" 2>&1
echo "au_infer exit $?"
grep -E "frames/s|time of|wrote|ERROR" "$out/infer.log" | tail -4

echo "== summary (cpp depth batch ranks threads img/s allreduce-share buckets gradient-MB fused-allreduce-ms)"
cat "$out/gpu.txt"
grep "^cpp" "$out/bench.txt"
grep -E "PASSED|FAILED|SKIPPED" "$out/dist_test.txt" | tail -3
grep "^infer" "$out/infer.txt"
