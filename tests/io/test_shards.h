// Deterministic shard content for tests: an image and labels per seed.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/au_names.h"
#include "io/shard_manifest.h"
#include "io/shard_schema.h"
#include "io/shard_writer.h"
#include "test_dirs.h"

namespace au::testing {

inline std::vector<uint8_t> imageOf(int seed) {
  std::vector<uint8_t> rgb(static_cast<size_t>(io::shard::kImageBytes));
  for (size_t i = 0; i < rgb.size(); ++i)
    rgb[i] = static_cast<uint8_t>((i * 7 + static_cast<size_t>(seed) * 31) % 251);
  return rgb;
}

inline io::AuLabels labelsOf(int seed) {
  io::AuLabels l;
  for (int a = 0; a < io::kNumAus; ++a) l[a] = static_cast<signed char>((seed + a) % 3 - 1);
  return l;
}

struct ExampleVideo {
  std::string name;
  int frames;
};

// Three shards in a fresh folder: train a (frame 3 unlabelled), b | train c | validation d;
// folds {a}, {b, c}. Frame f of video v (0-based, in that order) has seed 10 * v + f.
inline io::ShardManifest writeExampleShards(const std::string& name) {
  const auto dir = testing::freshDir(name);
  io::ShardManifest m;
  m.folder = dir.string();
  const std::vector<std::pair<std::string, std::vector<ExampleVideo>>> shards = {
      {"train", {{"a", 4}, {"b", 3}}}, {"train", {{"c", 2}}}, {"validation", {{"d", 2}}}};
  int video_index = 0;
  for (size_t s = 0; s < shards.size(); ++s) {
    const std::string file = shards[s].first + "-" + std::to_string(s) + ".h5";
    io::ShardWriter w((dir / file).string(), shards[s].first, static_cast<int>(s), 1,
                      io::ShardWriterOptions{});
    io::ManifestShard entry{file, shards[s].first, 0, "", {}};
    for (const auto& v : shards[s].second) {
      w.addVideo(v.name, v.frames);
      for (int f = 1; f <= v.frames; ++f) {
        const int seed = 10 * video_index + f;
        io::AuLabels labels = labelsOf(seed);
        if (v.name == "a" && f == 3) labels.fill(-1);
        w.appendFrame(f, labels, imageOf(seed).data());
      }
      entry.videos.push_back(v.name);
      entry.frames += v.frames;
      m.videos[v.name] = io::ManifestVideo{shards[s].first, -1, file, v.frames};
      ++video_index;
    }
    w.close();
    m.shards.push_back(entry);
  }
  m.folds = {{"a"}, {"b", "c"}};
  return m;
}

}  // namespace au::testing
