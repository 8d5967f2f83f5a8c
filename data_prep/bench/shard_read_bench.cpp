// au_bench_shard_read: how fast images come out of a shard, in random order one image per
// read (as a training sampler reads) and sequentially in batches (as inference reads), to
// choose the chunk size and whether to compress.
#include <chrono>
#include <iostream>
#include <vector>

#include "common/log.h"
#include "common/options.h"
#include "common/rng.h"
#include "common/run_program.h"
#include "io/shard_reader.h"
#include "io/shard_schema.h"

int main(int argc, char** argv) {
  au::OptionSet options("au_bench_shard_read",
                        "Measures random single-image and sequential batch reads of one shard.");
  std::string shard;
  int reads = 2000;
  int batch = 64;
  options.add("bench.shard", &shard, "shard file to read");
  options.add("bench.reads", &reads, "random single-image reads");
  options.add("bench.batch", &batch, "frames per sequential read");
  return au::runProgram(argc, argv, options, [&] {
    au::io::ShardReader reader(shard);
    const int64_t n = reader.numRows();
    std::vector<uint8_t> buffer(static_cast<size_t>(batch * au::io::shard::kImageBytes));
    using Clock = std::chrono::steady_clock;
    au::Rng rng(1);
    auto start = Clock::now();
    for (int i = 0; i < reads; ++i)
      reader.readImages(static_cast<int64_t>(rng.below(static_cast<uint64_t>(n))), 1,
                        buffer.data());
    const double random_s = std::chrono::duration<double>(Clock::now() - start).count();
    start = Clock::now();
    for (int64_t first = 0; first < n; first += batch)
      reader.readImages(first, std::min<int64_t>(batch, n - first), buffer.data());
    const double sequential_s = std::chrono::duration<double>(Clock::now() - start).count();
    std::cout << "random " << reads / random_s << " images/s, sequential " << n / sequential_s
              << " images/s\n";
    return 0;
  });
}
