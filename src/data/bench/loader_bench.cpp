// au_bench_loader: images/s of the training input pipeline alone, no model: shard reads on the
// process's HDF5 thread and batch assembly on the loader's threads, in the sampler's shuffled
// order over the training split, as au_train is fed. Prints, on rank 0, "loader <ranks>
// <workers> <batch per rank> <images/s per process> <images/s of all ranks>" (bench_loader.sh).
// The CPU side only: batches stay in pageable memory (au_train pins them on a GPU).
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

#include "common/malloc_tuning.h"
#include "common/options.h"
#include "data/batch_loader.h"
#include "data/distributed_sampler.h"
#include "data/shard_dataset.h"
#include "io/shard_manifest.h"
#include "mpi/run_main.h"

int main(int argc, char** argv) {
  au::keepFreedMemoryForReuse();
  au::OptionSet options("au_bench_loader",
                        "Measures the training loader's images/s on shards (see bench_loader.sh).");
  std::string shards;
  long long batch = 64, steps = 200;
  au::data::LoaderOptions loader_options;
  options.add("bench.shards", &shards, "au_prep's output folder");
  options.add("bench.batch", &batch, "images per rank per step");
  options.add("bench.steps", &steps, "timed steps (after one untimed)");
  au::data::describe(options, loader_options);
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    const au::data::ShardDataset set(au::io::readShardManifest(shards),
                                     au::data::DatasetSelection{{"train"}});
    const au::data::DistributedSampler sampler(set.size(), batch * world.size(), world.size(),
                                               world.rank(), 1);
    // Steps past one epoch take the next epoch's order, as training goes on; each order is
    // drawn once (the loader's threads ask concurrently).
    std::map<int64_t, std::vector<int64_t>> orders;
    std::mutex orders_mutex;
    const auto samples_of_step = [&](int64_t step) {
      const int64_t epoch = step / sampler.stepsPerEpoch();
      const std::vector<int64_t>* order = nullptr;  // map elements stay put
      {
        std::lock_guard<std::mutex> lock(orders_mutex);
        auto found = orders.find(epoch);
        if (found == orders.end()) found = orders.emplace(epoch, sampler.epochOrder(epoch)).first;
        order = &found->second;
      }
      std::vector<int64_t> samples;
      for (int64_t p : sampler.positions(step % sampler.stepsPerEpoch()))
        samples.push_back((*order)[static_cast<size_t>(p)]);
      return samples;
    };
    au::data::BatchLoader loader(set, samples_of_step, 0, steps + 1, loader_options);
    loader.next();  // threads started, first reads done
    world.barrier();
    const auto start = std::chrono::steady_clock::now();
    int64_t images = 0;
    while (auto b = loader.next()) images += b->images.size(0);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<double> rate{static_cast<double>(images) / seconds};
    world.allreduceSum(rate);
    if (world.isRoot())
      std::printf("loader %d %d %lld %.0f %.0f\n", world.size(), loader_options.workers, batch,
                  rate[0] / world.size(), rate[0]);
    return 0;
  });
}
