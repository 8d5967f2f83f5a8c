// Reads manifest.json, the index au_prep writes beside the shards: which shard holds which
// split and videos, and the cross-validation folds. Training and inference start from it.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace au::io {

struct ManifestShard {
  std::string file;  ///< relative to the shard folder
  std::string split;
  long long frames = 0;
  std::string crc32c;  ///< hex
  std::vector<std::string> videos;
};

struct ManifestVideo {
  std::string split;
  int fold = -1;  ///< -1: in no fold (test videos, or folds off)
  std::string shard;
  int frames = 0;
};

struct ShardManifest {
  std::string folder;  ///< the shard folder the manifest was read from
  int schema_version = 0;
  std::vector<ManifestShard> shards;
  std::vector<std::vector<std::string>> folds;  ///< video names per fold
  std::map<std::string, ManifestVideo> videos;

  /// Paths of the shards of `split`, in manifest order.
  std::vector<std::string> shardPaths(const std::string& split) const;
  /// Every split named by some shard, in manifest order.
  std::vector<std::string> splits() const;
};

/// Reads `<folder>/manifest.json`. Throws DataError naming the file when it is missing, is not
/// JSON, or lacks a field (the message names the field).
ShardManifest readShardManifest(const std::string& folder);

}  // namespace au::io
