#include "io/shard_manifest.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

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
  const std::string path = folder + "/manifest.json";
  const std::string text = readInputFile(path, "the shard manifest (run au_prep first)");
  ShardManifest m;
  m.folder = folder;
  try {
    const auto j = nlohmann::json::parse(text);
    m.schema_version = j.at("schema_version").get<int>();
    for (const auto& s : j.at("shards")) {
      ManifestShard shard;
      shard.file = s.at("file").get<std::string>();
      shard.split = s.at("split").get<std::string>();
      shard.frames = s.at("frames").get<long long>();
      shard.crc32c = s.at("crc32c").get<std::string>();
      shard.videos = s.at("videos").get<std::vector<std::string>>();
      m.shards.push_back(std::move(shard));
    }
    m.folds = j.at("folds").get<std::vector<std::vector<std::string>>>();
    for (const auto& [name, v] : j.at("videos").items()) {
      ManifestVideo video;
      video.split = v.at("split").get<std::string>();
      video.fold = v.at("fold").get<int>();
      video.shard = v.at("shard").get<std::string>();
      video.frames = v.at("frames").get<int>();
      m.videos.emplace(name, std::move(video));
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path, 0, std::string("not a valid au_prep manifest: ") + e.what());
  }
  return m;
}

}  // namespace au::io
