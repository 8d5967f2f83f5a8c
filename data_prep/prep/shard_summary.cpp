#include "prep/shard_summary.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "io/shard_reader.h"
#include "io/shard_schema.h"

namespace au::prep {

void LabelCounts::add(const LabelCounts& other) {
  for (int a = 0; a < io::kNumAus; ++a) {
    positive[a] += other.positive[a];
    negative[a] += other.negative[a];
    unknown[a] += other.unknown[a];
  }
}

ShardSummary summarizeShard(const std::string& path, const std::string& file) {
  io::ShardReader reader(path);
  if (!reader.complete()) throw DataError(path, 0, "shard is not complete");
  ShardSummary s;
  s.file = file;
  s.split = reader.split();
  s.rows = reader.numRows();
  s.bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  s.fingerprint = reader.planFingerprint();
  for (size_t v = 0; v < reader.videos().size(); ++v) {
    VideoSummary video;
    video.name = reader.videos()[v];
    video.frames = reader.videoNumFrames()[v];
    video.rows = reader.videoNumRows()[v];
    s.videos.push_back(std::move(video));
  }
  for (const auto& m : reader.missing()) {
    AU_CHECK(m.video >= 0 && static_cast<size_t>(m.video) < s.videos.size(), "bad video index in ",
             path);
    auto& video = s.videos[static_cast<size_t>(m.video)];
    (m.reason == io::shard::kUnreadableImage ? video.unreadable : video.missing).push_back(m.frame);
  }
  constexpr int64_t kBlock = 65536;
  for (int64_t first = 0; first < s.rows; first += kBlock) {
    const auto labels = reader.readLabels(first, std::min(kBlock, s.rows - first));
    for (const auto& row : labels) {
      for (int a = 0; a < io::kNumAus; ++a) {
        if (row[a] == 1)
          ++s.labels.positive[a];
        else if (row[a] == 0)
          ++s.labels.negative[a];
        else
          ++s.labels.unknown[a];
      }
    }
  }
  return s;
}

std::string summaryToJson(const ShardSummary& s) {
  nlohmann::json j{{"file", s.file},
                   {"split", s.split},
                   {"rows", s.rows},
                   {"bytes", s.bytes},
                   {"crc32c", s.crc32c},
                   {"fingerprint", s.fingerprint},
                   {"positive", s.labels.positive},
                   {"negative", s.labels.negative},
                   {"unknown", s.labels.unknown}};
  j["videos"] = nlohmann::json::array();
  for (const auto& v : s.videos)
    j["videos"].push_back({{"name", v.name},
                           {"frames", v.frames},
                           {"rows", v.rows},
                           {"missing", v.missing},
                           {"unreadable", v.unreadable}});
  return j.dump();
}

ShardSummary summaryFromJson(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  ShardSummary s;
  s.file = j.at("file");
  s.split = j.at("split");
  s.rows = j.at("rows");
  s.bytes = j.at("bytes");
  s.crc32c = j.at("crc32c");
  s.fingerprint = j.at("fingerprint");
  s.labels.positive = j.at("positive");
  s.labels.negative = j.at("negative");
  s.labels.unknown = j.at("unknown");
  for (const auto& v : j.at("videos")) {
    VideoSummary video;
    video.name = v.at("name");
    video.frames = v.at("frames");
    video.rows = v.at("rows");
    video.missing = v.at("missing").get<std::vector<int>>();
    video.unreadable = v.at("unreadable").get<std::vector<int>>();
    s.videos.push_back(std::move(video));
  }
  return s;
}

}  // namespace au::prep
