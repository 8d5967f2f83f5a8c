// au_bench_train: training steps per second of the AU model on random data, with the
// data-parallel machinery of au_train (bucketed gradient allreduce, BatchNorm buffer averaging)
// at any number of MPI ranks. Prints "cpp <depth> <batch per rank> <ranks> <threads> <img/s>
// <allreduce share> <buckets>" on rank 0. The same step as train_bench.py (see bench_train.sh).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>

#include "common/malloc_tuning.h"
#include "common/options.h"
#include "dist/gradient_sync.h"
#include "dist/make_communicator.h"
#include "dist/module_sync.h"
#include "model/au_net.h"
#include "mpi/run_main.h"
#include "train/au_loss.h"

int main(int argc, char** argv) {
  au::keepFreedMemoryForReuse();
  au::OptionSet options("au_bench_train", "Measures data-parallel training images/s on random data (see bench_train.sh).");
  au::model::ModelOptions model;
  au::dist::GradientSyncOptions sync_options;
  int batch = 8, steps = 3, warmup = 1, threads = 1;
  options.add("bench.batch", &batch, "images per rank per step");
  options.add("bench.steps", &steps, "timed steps");
  options.add("bench.warmup", &warmup, "untimed steps first");
  options.add("bench.threads", &threads, "intra-op threads per rank");
  au::model::describe(options, model);
  au::dist::describe(options, sync_options);
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    torch::set_num_threads(threads);
    torch::manual_seed(0);
    au::model::AuNet net(model);
    std::vector<torch::Tensor> params;
    for (auto& p : net->parameters())
      if (p.requires_grad()) params.push_back(p);
    torch::optim::SGD sgd(params, torch::optim::SGDOptions(0.001).momentum(0.9).weight_decay(5e-4));
    auto comm = au::dist::makeCommunicator(world, torch::kCPU, {});
    au::dist::broadcastModule(*comm, *net);
    au::dist::GradientSync sync(*comm, params, sync_options);
    torch::manual_seed(1 + world.rank());
    const torch::Tensor x = torch::rand({batch, 3, 112, 112}) * 2 - 1;
    const torch::Tensor labels = torch::randint(0, 2, {batch, 12}).to(torch::kFloat32);
    const au::train::LossOptions loss_options;
    net->train();
    double comm_seconds = 0;
    auto start = std::chrono::steady_clock::now();
    for (int step = 0; step < warmup + steps; ++step) {
      if (step == warmup) {
        world.barrier();
        start = std::chrono::steady_clock::now();
        comm_seconds = 0;
      }
      sgd.zero_grad(true);
      au::train::auLoss(net->forward(x), labels, loss_options).total.backward();
      const auto c = std::chrono::steady_clock::now();
      sync.finish();
      au::dist::averageBuffers(*comm, *net);
      comm_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - c).count();
      sgd.step();
    }
    world.barrier();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<double> share{comm_seconds / seconds};
    world.allreduceSum(share);
    if (world.isRoot())
      std::printf("cpp %d %d %d %d %.3f %.3f %d\n", model.depth, batch, world.size(), threads,
                  static_cast<double>(batch) * world.size() * steps / seconds, share[0] / world.size(),
                  sync.numBuckets());
    return 0;
  });
}
