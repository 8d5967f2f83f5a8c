#include "io/shard_manifest.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/manifest_schema.h"

namespace au::io {

std::vector<std::string> ShardManifest::shardPaths(const std::string& split) const {
  std::vector<std::string> paths;
  for (const auto& s : shards)
    if (s.split == split) paths.push_back(folder + "/" + s.file);
  return paths;
}

std::vector<std::string> ShardManifest::splits() const {
  std::vector<std::string> names;
  for (const auto& s : shards)
    if (std::find(names.begin(), names.end(), s.split) == names.end()) names.push_back(s.split);
  return names;
}

ShardManifest readShardManifest(const std::string& folder) {
  const std::string path = folder + "/" + manifest::kFileName;
  const std::string text = readInputFile(path, "the shard manifest (run au_prep first)");
  ShardManifest m;
  m.folder = folder;
  try {
    const auto j = nlohmann::json::parse(text);
    m.schema_version = j.at(manifest::kSchemaVersion).get<int>();
    for (const auto& s : j.at(manifest::kShards)) {
      ManifestShard shard;
      shard.file = s.at(manifest::kFile).get<std::string>();
      shard.split = s.at(manifest::kSplit).get<std::string>();
      shard.frames = s.at(manifest::kFrames).get<long long>();
      shard.crc32c = s.at(manifest::kCrc32c).get<std::string>();
      shard.videos = s.at(manifest::kVideos).get<std::vector<std::string>>();
      m.shards.push_back(std::move(shard));
    }
    m.folds = j.at(manifest::kFolds).get<std::vector<std::vector<std::string>>>();
    for (const auto& [name, v] : j.at(manifest::kVideos).items()) {
      ManifestVideo video;
      video.split = v.at(manifest::kSplit).get<std::string>();
      video.fold = v.at(manifest::kFold).get<int>();
      video.shard = v.at(manifest::kShard).get<std::string>();
      video.frames = v.at(manifest::kFrames).get<int>();
      m.videos.emplace(name, std::move(video));
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path, 0, std::string("not a valid au_prep manifest: ") + e.what());
  }
  return m;
}

}  // namespace au::io
