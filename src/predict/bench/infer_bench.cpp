// au_bench_infer: frames/s of an ensemble's forward passes as au_infer runs them
// (EnsembleModel::predict: uint8 frames to the device, normalised, each distinct checkpoint at
// the chosen precision, sigmoid, probabilities back on the host), on random frames, one process.
// Prints "infer <distinct models> <batch> <device> <precision> <frames/s> <eager|graphed>
// <folded|unfolded>". Used by
// the GPU check (jobs/device/gpu_check.sh), where the bundled shards are too few frames to time
// au_infer.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>

#include "common/malloc_tuning.h"
#include "common/options.h"
#include "distributed/device_choice.h"
#include "model/precision.h"
#include "mpi/run_main.h"
#include "predict/ensemble_model.h"

int main(int argc, char** argv) {
  au::keepFreedMemoryForReuse();
  au::OptionSet options("au_bench_infer",
                        "Measures the ensemble's frames/s on random frames (see gpu_check.sh).");
  std::string spec_path, device_name = "auto", precision_name = "auto";
  int batch = 64, steps = 10, warmup = 2, threads = 2;
  bool graph = false, fold_batchnorm = true;
  options.add("bench.ensemble", &spec_path, "ensemble spec (au_select's, or make_spec.py's)");
  options.add("bench.device", &device_name, "auto, cpu or cuda");
  options.add("bench.precision", &precision_name,
              "auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16");
  options.add("bench.batch", &batch, "frames per forward pass");
  options.add("bench.steps", &steps, "timed batches");
  options.add("bench.warmup", &warmup, "untimed batches first");
  options.add("bench.threads", &threads, "intra-op threads (CPU)");
  options.add("bench.graph", &graph,
              "replay the forward passes as a CUDA graph (au_infer's infer.cuda_graph)");
  options.add("bench.fold_batchnorm", &fold_batchnorm,
              "fold each BatchNorm into the layer before it (au_infer's infer.fold_batchnorm)");
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    torch::set_num_threads(threads);
    const torch::Device device = au::distributed::chooseDevice(device_name, world, "bench.device");
    const auto precision = au::model::choosePrecision(precision_name, device, "bench.precision");
    au::predict::EnsembleModel model(au::infer::readSpec(spec_path),
                                     {device, precision, fold_batchnorm, graph ? batch : 0});
    torch::manual_seed(0);
    const torch::Tensor frames = torch::randint(0, 256, {batch, 112, 112, 3}, torch::kUInt8);
    const torch::Tensor reference = frames[0].clone();  // used by video_reference models only
    for (int i = 0; i < warmup; ++i) model.predict(frames, reference);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < steps; ++i)
      model.predict(frames, reference);  // returns host values: synchronised
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("infer %d %d %s %s %.1f %s %s\n", model.numModels(), batch, device.str().c_str(),
                precision.name.c_str(), static_cast<double>(batch) * steps / seconds,
                model.graphsCaptured() ? "graphed" : "eager",
                fold_batchnorm ? "folded" : "unfolded");
    return 0;
  });
}
