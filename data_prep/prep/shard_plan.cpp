#include "prep/shard_plan.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "io/checksum.h"
#include "io/raw_video_name.h"
#include "io/shard_schema.h"

namespace au::prep {
namespace {

std::vector<int> assignFolds(const std::vector<io::VideoEntry>& videos, int folds) {
  std::vector<int> fold(videos.size(), -1);
  if (folds <= 0) return fold;
  // Group by raw video so both people of one recording land in the same fold (no leakage),
  // then give the largest groups first to the fold with the fewest frames so far.
  std::map<std::string, std::vector<int>> groups;
  std::map<std::string, int64_t> frames;
  for (size_t i = 0; i < videos.size(); ++i) {
    if (videos[i].split == "test") continue;
    const std::string raw = io::rawVideoName(videos[i].name);
    groups[raw].push_back(static_cast<int>(i));
    frames[raw] += videos[i].frames;
  }
  std::vector<std::string> order;
  for (const auto& g : groups) order.push_back(g.first);
  std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
    return frames[a] > frames[b];
  });
  std::vector<int64_t> load(static_cast<size_t>(folds), 0);
  for (const auto& raw : order) {
    const size_t k = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[k] += frames[raw];
    for (int v : groups[raw]) fold[static_cast<size_t>(v)] = static_cast<int>(k);
  }
  return fold;
}

uint64_t shardFingerprint(const ShardPlan& plan, const PlannedShard& shard,
                          const io::ShardWriterOptions& writer) {
  nlohmann::json j;
  j["schema"] = io::shard::kSchemaVersion;
  j["split"] = shard.split;
  j["index"] = shard.index;
  j["chunk_frames"] = writer.chunk_frames;
  j["compression"] = writer.compression;
  for (int v : shard.videos) {
    const auto& e = plan.videos[static_cast<size_t>(v)];
    j["videos"].push_back({e.name, e.frames, e.images, e.annotation_crc});
  }
  return io::fingerprint64(j.dump());
}

}  // namespace

ShardPlan makePlan(std::vector<io::VideoEntry> videos, const PlanOptions& options, int ranks) {
  ShardPlan plan;
  plan.videos = std::move(videos);
  plan.folds = options.folds;
  plan.fold = assignFolds(plan.videos, options.folds);

  // Cut each split's videos, in name order, into shards of about shard_frames frames.
  for (size_t i = 0; i < plan.videos.size(); ++i) {
    const auto& v = plan.videos[i];
    const bool new_split = plan.shards.empty() || plan.shards.back().split != v.split;
    if (new_split || plan.shards.back().frames + v.frames > options.shard_frames) {
      PlannedShard shard;
      shard.split = v.split;
      shard.index = new_split ? 0 : plan.shards.back().index + 1;
      char name[64];
      std::snprintf(name, sizeof name, "%s-%05d.h5", v.split.c_str(), shard.index);
      shard.file = name;
      plan.shards.push_back(std::move(shard));
    }
    auto& shard = plan.shards.back();
    shard.videos.push_back(static_cast<int>(i));
    shard.frames += v.frames;
    shard.images += v.images;
  }
  for (auto& shard : plan.shards) shard.fingerprint = shardFingerprint(plan, shard, options.writer);

  // Largest shards first, each to the rank with the least work so far (ties: lower rank).
  std::vector<size_t> order(plan.shards.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return plan.shards[a].images > plan.shards[b].images;
  });
  std::vector<int64_t> load(static_cast<size_t>(std::max(ranks, 1)), 0);
  for (size_t i : order) {
    const size_t r = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[r] += plan.shards[i].images;
    plan.shards[i].rank = static_cast<int>(r);
  }
  return plan;
}

std::string planToJson(const ShardPlan& plan) {
  nlohmann::json j;
  j["folds"] = plan.folds;
  j["fold"] = plan.fold;
  for (const auto& v : plan.videos)
    j["videos"].push_back({{"name", v.name},
                           {"split", v.split},
                           {"annotation_file", v.annotation_file},
                           {"frames", v.frames},
                           {"images", v.images},
                           {"crc", v.annotation_crc}});
  for (const auto& s : plan.shards)
    j["shards"].push_back({{"split", s.split},
                           {"index", s.index},
                           {"file", s.file},
                           {"videos", s.videos},
                           {"frames", s.frames},
                           {"images", s.images},
                           {"fingerprint", s.fingerprint},
                           {"rank", s.rank}});
  return j.dump();
}

ShardPlan planFromJson(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  ShardPlan plan;
  plan.folds = j.at("folds").get<int>();
  plan.fold = j.at("fold").get<std::vector<int>>();
  for (const auto& v : j.value("videos", nlohmann::json::array())) {
    io::VideoEntry e;
    e.name = v.at("name");
    e.split = v.at("split");
    e.annotation_file = v.at("annotation_file");
    e.frames = v.at("frames");
    e.images = v.at("images");
    e.annotation_crc = v.at("crc");
    plan.videos.push_back(std::move(e));
  }
  for (const auto& s : j.value("shards", nlohmann::json::array())) {
    PlannedShard shard;
    shard.split = s.at("split");
    shard.index = s.at("index");
    shard.file = s.at("file");
    shard.videos = s.at("videos").get<std::vector<int>>();
    shard.frames = s.at("frames");
    shard.images = s.at("images");
    shard.fingerprint = s.at("fingerprint");
    shard.rank = s.at("rank");
    plan.shards.push_back(std::move(shard));
  }
  return plan;
}

}  // namespace au::prep
