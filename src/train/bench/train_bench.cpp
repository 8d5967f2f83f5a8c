// au_bench_train: training steps per second of the AU model on random data, with the
// data-parallel machinery of au_train (bucketed gradient allreduce, BatchNorm buffer averaging)
// at any number of MPI ranks. Prints "cpp <depth> <batch per rank> <ranks> <threads> <img/s>
// <allreduce share> <buckets> <gradient MB> <ms for one fused allreduce of all gradients>" on
// rank 0, then "eager" or "graphed". The same step as train_bench.py (see bench_train.sh). On
// CUDA (--bench.device cuda) it runs bf16/fp16 autocast with channels_last, as au_train does
// there; --bench.graph captures the whole step (one rank) in a CUDA graph and replays it.
#include <ATen/Context.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "common/error.h"
#include "common/malloc_tuning.h"
#include "common/options.h"
#include "distributed/gradient_sync.h"
#include "distributed/make_communicator.h"
#include "distributed/module_sync.h"
#include "model/au_net.h"
#include "model/graphed_step.h"
#include "model/precision.h"
#include "mpi/run_main.h"
#include "train/au_loss.h"
#include "train/multi_tensor_sgd.h"

int main(int argc, char** argv) {
  au::keepFreedMemoryForReuse();
  au::OptionSet options(
      "au_bench_train",
      "Measures data-parallel training images/s on random data (see bench_train.sh).");
  au::model::ModelOptions model;
  au::distributed::GradientSyncOptions sync_options;
  int batch = 8, steps = 3, warmup = 1, threads = 1;
  bool graph = false;
  std::string device_name = "cpu", precision = "fp32";
  options.add("bench.device", &device_name, "cpu or cuda (the GPU of the node-local rank)");
  options.add("bench.precision", &precision, "fp32, or bf16 / fp16 autocast");
  au::distributed::CommunicatorOptions comm_options;
  au::distributed::describe(options, comm_options);
  options.add("bench.batch", &batch, "images per rank per step");
  options.add("bench.steps", &steps, "timed steps");
  options.add("bench.warmup", &warmup, "untimed steps first");
  options.add("bench.threads", &threads, "intra-op threads per rank");
  options.add("bench.graph", &graph,
              "capture the step in a CUDA graph and replay it (one rank; eager elsewhere)");
  au::model::describe(options, model);
  au::distributed::describe(options, sync_options);
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    torch::set_num_threads(threads);
    torch::Device device(torch::kCPU);
    if (device_name == "cuda") {
      device = torch::Device(
          torch::kCUDA, static_cast<c10::DeviceIndex>(
                            world.localRank() % static_cast<int>(torch::cuda::device_count())));
      at::globalContext().setBenchmarkCuDNN(true);  // as au_train: fixed input size
    }
    if (graph && world.size() != 1)
      AU_THROW(au::UsageError, "--bench.graph captures one rank's step: run one rank");
    torch::manual_seed(0);
    au::model::AuNet net(model);
    net->to(device);
    if (device.is_cuda()) au::model::toChannelsLast(*net);
    std::vector<torch::Tensor> params;
    for (auto& p : net->parameters())
      if (p.requires_grad()) params.push_back(p);
    au::train::MultiTensorSgd sgd(params,
                                  torch::optim::SGDOptions(0.001).momentum(0.9).weight_decay(5e-4));
    auto comm = au::distributed::makeCommunicator(world, device, comm_options);
    au::distributed::broadcastModule(*comm, *net);
    au::distributed::GradientSync sync(*comm, params, sync_options);
    torch::manual_seed(1 + world.rank());
    torch::Tensor x = (torch::rand({batch, 3, 112, 112}) * 2 - 1).to(device);
    x = net->input(x, torch::zeros_like(x));  // a video_reference model takes 6 planes
    if (device.is_cuda()) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor labels = torch::randint(0, 2, {batch, 12}).to(device, torch::kFloat32);
    const bool autocast = precision != "fp32";
    const auto dtype = precision == "fp16" ? torch::kFloat16 : torch::kBFloat16;
    auto sync_device = [&] {
      if (device.is_cuda()) torch::cuda::synchronize(device.index());
    };
    const au::train::LossOptions loss_options;
    const torch::Tensor loss_weights = au::train::auWeights(loss_options, device);
    // Forward, loss and backward: what every step computes before the gradients are reduced.
    auto compute = [&] {
      sgd.zero_grad(true);
      std::optional<au::model::AutocastScope> scope;
      if (autocast) scope.emplace(device.type(), dtype);
      au::train::auLoss(net->forward(x), labels, loss_options, nullptr, loss_weights)
          .total.backward();
    };
    net->train();
    std::optional<au::model::GraphedStep> graphed;
    if (graph) {
      // One rank: nothing to reduce, so the optimiser step joins the captured graph.
      graphed.emplace(
          [&] {
            compute();
            sgd.step();
          },
          device, std::max(warmup, 1));
      if (!graphed->captured())
        std::fprintf(stderr, "au_bench_train: eager, %s\n", graphed->whyEager().c_str());
    }
    double comm_seconds = 0;
    auto start = std::chrono::steady_clock::now();
    for (int step = 0; step < warmup + steps; ++step) {
      if (step == warmup) {
        sync_device();
        world.barrier();
        start = std::chrono::steady_clock::now();
        comm_seconds = 0;
      }
      if (graphed) {
        graphed->run();
        continue;
      }
      compute();
      if (world.size() > 1) {  // one rank has nothing to wait for: no synchronisation to time it
        sync_device();
        const auto c = std::chrono::steady_clock::now();
        sync.finish();
        au::distributed::averageBuffers(*comm, *net);
        sync_device();
        comm_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - c).count();
      }
      sgd.step();
    }
    sync_device();
    world.barrier();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<double> share{comm_seconds / seconds};
    world.allreduceSum(share);
    // One allreduce of every gradient, fused (what a step moves), timed on its own.
    int64_t elements = 0;
    for (int64_t n : sync.bucketSizes()) elements += n;
    torch::Tensor all =
        torch::ones({std::max<int64_t>(elements, 1)}, torch::TensorOptions().device(device));
    comm->allreduceSum(all);  // warm-up
    sync_device();
    const auto a = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) comm->allreduceSum(all);
    sync_device();
    const double allreduce_ms =
        1000 * std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count() / 3;
    if (world.isRoot())
      std::printf("cpp %d %d %d %d %.3f %.3f %d %.1f %.1f %s\n", model.depth, batch, world.size(),
                  threads, static_cast<double>(batch) * world.size() * steps / seconds,
                  share[0] / world.size(), sync.numBuckets(), elements * 4 / 1e6, allreduce_ms,
                  graphed && graphed->captured() ? "graphed" : "eager");
    return 0;
  });
}
