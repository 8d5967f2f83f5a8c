#include "prep/manifest.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "io/au_names.h"
#include "io/checksum.h"
#include "io/manifest_schema.h"
#include "io/shard_schema.h"

namespace au::prep {
namespace {
using Json = nlohmann::ordered_json;
namespace M = io::manifest;

Json labelJson(const LabelCounts& counts) {
  Json j = Json::object();
  for (int a = 0; a < io::kNumAus; ++a)
    j[io::kAuNames[a]] = {{M::kPositive, counts.positive[a]},
                          {M::kNegative, counts.negative[a]},
                          {M::kUnknown, counts.unknown[a]}};
  return j;
}
}  // namespace

std::string makeManifest(const ShardPlan& plan, const std::vector<ShardSummary>& summaries,
                         const PrepOptions& options) {
  AU_CHECK(summaries.size() == plan.shards.size(), "one summary per planned shard expected");
  Json m;
  m[M::kFormat] = M::kFormatName;
  m[M::kSchemaVersion] = io::shard::kSchemaVersion;
  m[M::kAuNames] = io::kAuNames;
  m[M::kImage] = {{"height", io::shard::kImageSize},
                  {"width", io::shard::kImageSize},
                  {"channels", io::shard::kChannels},
                  {"layout", "NHWC"},
                  {"color", "RGB"},
                  {"dtype", "uint8"}};
  m[M::kOptions] = {{"shard_frames", options.shard_frames},
                    {M::kFolds, options.folds},
                    {"chunk_frames", options.writer.chunk_frames},
                    {"compression", options.writer.compression}};

  std::map<std::string, int> fold_of;
  for (size_t i = 0; i < plan.videos.size(); ++i) fold_of[plan.videos[i].name] = plan.fold[i];

  Json shards = Json::array();
  Json videos = Json::object();
  std::vector<std::string> split_order;
  std::map<std::string, Json> splits;
  std::map<std::string, LabelCounts> split_labels;
  int64_t total_frames = 0, total_rows = 0, total_missing = 0, total_unreadable = 0;
  for (const auto& s : summaries) {
    Json names = Json::array();
    for (const auto& v : s.videos) names.push_back(v.name);
    shards.push_back({{M::kFile, s.file},
                      {M::kSplit, s.split},
                      {M::kFrames, s.rows},
                      {M::kBytes, s.bytes},
                      {M::kCrc32c, io::hex32(s.crc32c)},
                      {M::kVideos, names}});
    if (!splits.count(s.split)) {
      split_order.push_back(s.split);
      splits[s.split] = {{M::kVideos, Json::array()},
                         {M::kShards, Json::array()},
                         {M::kFrames, 0},
                         {M::kImages, 0},
                         {M::kMissing, 0},
                         {M::kUnreadable, 0}};
    }
    Json& split = splits[s.split];
    split[M::kShards].push_back(s.file);
    for (const auto& v : s.videos) {
      split[M::kVideos].push_back(v.name);
      split[M::kFrames] = split[M::kFrames].get<int64_t>() + v.frames;
      split[M::kImages] = split[M::kImages].get<int64_t>() + v.rows;
      split[M::kMissing] =
          split[M::kMissing].get<int64_t>() + static_cast<int64_t>(v.missing.size());
      split[M::kUnreadable] =
          split[M::kUnreadable].get<int64_t>() + static_cast<int64_t>(v.unreadable.size());
      videos[v.name] = {{M::kSplit, s.split},          {M::kFold, fold_of.at(v.name)},
                        {M::kShard, s.file},           {M::kFrames, v.frames},
                        {M::kImages, v.rows},          {M::kMissing, v.missing},
                        {M::kUnreadable, v.unreadable}};
      total_frames += v.frames;
      total_rows += v.rows;
      total_missing += static_cast<int64_t>(v.missing.size());
      total_unreadable += static_cast<int64_t>(v.unreadable.size());
    }
    split_labels[s.split].add(s.labels);
  }
  m[M::kTotals] = {{M::kVideos, videos.size()},
                   {M::kFrames, total_frames},
                   {M::kImages, total_rows},
                   {M::kMissing, total_missing},
                   {M::kUnreadable, total_unreadable}};
  m[M::kShards] = shards;
  for (const auto& name : split_order) m[M::kSplits][name] = splits[name];
  Json folds = Json::array();
  for (int k = 0; k < plan.folds; ++k) {
    Json members = Json::array();
    for (size_t i = 0; i < plan.videos.size(); ++i)
      if (plan.fold[i] == k) members.push_back(plan.videos[i].name);
    folds.push_back(members);
  }
  m[M::kFolds] = folds;
  Json labels = Json::object();
  LabelCounts train_val;
  for (const auto& name : split_order) {
    if (name == "test") continue;  // test frames carry no labels
    labels[name] = labelJson(split_labels[name]);
    train_val.add(split_labels[name]);
  }
  labels[M::kTrainAndValidation] = labelJson(train_val);
  m[M::kLabelCounts] = labels;
  m[M::kVideos] = videos;
  return m.dump(1) + "\n";
}

std::string labelTable(const std::string& manifest_text) {
  const auto m = Json::parse(manifest_text);
  const auto& labels = m.at(M::kLabelCounts);
  std::vector<std::string> columns;
  for (const auto& item : labels.items()) columns.push_back(item.key());
  std::ostringstream out;
  char cell[64];
  std::snprintf(cell, sizeof cell, "%-6s", "AU");
  out << cell;
  for (const auto& c : columns) {
    std::snprintf(cell, sizeof cell, " %22s", (c + " pos/neg").c_str());
    out << cell;
  }
  out << "  pos%\n";
  for (const auto& au : io::kAuNames) {
    std::snprintf(cell, sizeof cell, "%-6s", au.c_str());
    out << cell;
    double pos = 0, neg = 0;
    for (const auto& c : columns) {
      const auto& counts = labels.at(c).at(au);
      const int64_t p = counts.at(M::kPositive), n = counts.at(M::kNegative);
      std::snprintf(cell, sizeof cell, " %22s",
                    (std::to_string(p) + "/" + std::to_string(n)).c_str());
      out << cell;
      pos = static_cast<double>(p);
      neg = static_cast<double>(n);
    }
    std::snprintf(cell, sizeof cell, "  %4.1f", pos + neg > 0 ? 100.0 * pos / (pos + neg) : 0.0);
    out << cell << "\n";
  }
  const auto& t = m.at(M::kTotals);
  out << "videos " << t.at(M::kVideos).get<int64_t>() << ", frames "
      << t.at(M::kFrames).get<int64_t>() << ", with a face image "
      << t.at(M::kImages).get<int64_t>() << ", missing " << t.at(M::kMissing).get<int64_t>()
      << ", unreadable " << t.at(M::kUnreadable).get<int64_t>() << "\n";
  return out.str();
}

}  // namespace au::prep
