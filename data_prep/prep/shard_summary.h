// What a finished shard holds, read back from the file itself: the manifest is built from
// these, so a shard reused by a rerun is described exactly like a freshly written one.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::prep {

struct VideoSummary {
  std::string name;
  int frames = 0;               ///< frames of the video
  int64_t rows = 0;             ///< frames stored (with an image)
  std::vector<int> missing;     ///< frames without an image file
  std::vector<int> unreadable;  ///< frames whose image could not be decoded
};

/// Per AU: frames labelled 1, 0 and -1.
struct LabelCounts {
  std::array<int64_t, io::kNumAus> positive{}, negative{}, unknown{};
  void add(const LabelCounts& other);
};

struct ShardSummary {
  std::string file;  ///< name relative to the output folder
  std::string split;
  int64_t rows = 0;
  int64_t bytes = 0;
  uint32_t crc32c = 0;
  uint64_t fingerprint = 0;
  std::vector<VideoSummary> videos;
  LabelCounts labels;
};

/// Reads a complete shard at `path` and summarises it under the name `file`. The checksum is
/// left 0: it is taken from the file under its final name (see ShardCommitter).
ShardSummary summarizeShard(const std::string& path, const std::string& file);

std::string summaryToJson(const ShardSummary& summary);
ShardSummary summaryFromJson(const std::string& text);

}  // namespace au::prep
