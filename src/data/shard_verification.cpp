#include "data/shard_verification.h"

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "io/checksum.h"

namespace au::data {

long long verifyShards(const io::ShardManifest& manifest, const std::vector<std::string>& splits,
                       const mpi::ProcessGroup& group) {
  std::vector<const io::ManifestShard*> wanted;
  for (const auto& shard : manifest.shards)
    if (std::find(splits.begin(), splits.end(), shard.split) != splits.end())
      wanted.push_back(&shard);
  // Per shard: 1 when some rank found it broken; the reason is known to the rank that read it.
  std::vector<int64_t> broken(wanted.size(), 0);
  std::vector<std::string> reasons(wanted.size());
  long long bytes = 0;
  for (size_t i = static_cast<size_t>(group.rank()); i < wanted.size();
       i += static_cast<size_t>(group.size())) {
    const std::string path = manifest.folder + "/" + wanted[i]->file;
    try {
      const std::string actual = io::hex32(io::crc32cOfFile(path));
      bytes += static_cast<long long>(std::filesystem::file_size(path));
      if (actual != wanted[i]->crc32c) {
        broken[i] = 1;
        reasons[i] = "crc32c " + actual + ", the manifest says " + wanted[i]->crc32c;
      }
    } catch (const std::exception& e) {
      broken[i] = 1;
      reasons[i] = e.what();
    }
  }
  group.allreduceMax(broken);
  std::string message;
  for (size_t i = 0; i < wanted.size(); ++i) {
    if (!broken[i]) continue;
    message += "\n  " + manifest.folder + "/" + wanted[i]->file;
    if (!reasons[i].empty()) message += ": " + reasons[i];
  }
  if (!message.empty())
    throw DataError(manifest.folder + "/manifest.json", 0,
                    "shards whose bytes are not what au_prep wrote (a damaged disk or copy, or "
                    "shards of another au_prep run; run au_prep again):" +
                        message);
  return bytes;
}

}  // namespace au::data
