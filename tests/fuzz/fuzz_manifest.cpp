// manifest.json, au_prep's index of shards, splits, videos and folds.
#include "fuzz_input.h"
#include "io/shard_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  au::fuzz::inputFile(data, size, "manifest.json");
  au::fuzz::expectResultOrClearError([&] {
    const auto manifest = au::io::readShardManifest(au::fuzz::scratchFolder());
    for (const auto& split : manifest.splits()) manifest.shardPaths(split);
  });
  return 0;
}
