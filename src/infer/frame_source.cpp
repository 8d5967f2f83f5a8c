#include "infer/frame_source.h"

#include <filesystem>
#include <map>

#include "common/error.h"
#include "data/shard_dataset.h"
#include "io/shard_schema.h"

namespace au::infer {
namespace fs = std::filesystem;
namespace {

class ShardFrameSource : public FrameSource {
 public:
  ShardFrameSource(const std::string& folder, const std::string& split)
      : manifest_(io::readShardManifest(folder)),
        split_(split),
        dataset_(manifest_, selection(split)) {
    for (int64_t s = 0; s < dataset_.size(); ++s) {
      auto& frames = samples_[dataset_.videoNames()[static_cast<size_t>(dataset_.video(s))]];
      frames[dataset_.frame(s)] = s;
    }
  }
  std::string describe() const override {
    return "shards " + manifest_.folder + " (split " + split_ + ")";
  }
  std::string countSource() const override {
    return split_ == "test" ? "the shards (highest image number)" : "the shards (annotation rows)";
  }
  std::vector<std::string> videos() const override {
    std::vector<std::string> names;
    for (const auto& shard : manifest_.shards)
      if (shard.split == split_)
        names.insert(names.end(), shard.videos.begin(), shard.videos.end());
    return names;
  }
  bool has(const std::string& video) const override {
    const auto it = manifest_.videos.find(video);
    return it != manifest_.videos.end() && it->second.split == split_;
  }
  SourceVideo video(const std::string& name) const override {
    SourceVideo v;
    v.frames = manifest_.videos.at(name).frames;
    const auto it = samples_.find(name);
    if (it != samples_.end())
      for (const auto& [frame, sample] : it->second) v.faces.push_back(frame);
    return v;
  }
  std::future<std::vector<bool>> read(const std::string& video, const std::vector<int>& numbers,
                                      uint8_t* out) const override {
    const auto& frames = samples_.at(video);
    std::vector<int64_t> samples;
    for (const int n : numbers) samples.push_back(frames.at(n));
    auto done = std::make_shared<std::future<void>>(dataset_.readImages(std::move(samples), out));
    const size_t count = numbers.size();
    // A thread that waits for the read, so that dropping the future waits too (never a read into
    // a freed buffer).
    return std::async(std::launch::async, [done, count] {
      done->get();
      return std::vector<bool>(count, true);
    });
  }

 private:
  static data::DatasetSelection selection(const std::string& split) {
    data::DatasetSelection s;
    s.splits = {split};
    s.labelled_only = false;
    return s;
  }
  io::ShardManifest manifest_;
  std::string split_;
  data::ShardDataset dataset_;
  std::map<std::string, std::map<int, int64_t>> samples_;  // video -> frame -> dataset sample
};

}  // namespace

std::unique_ptr<FrameSource> openFrameSource(const std::string& path, const std::string& split) {
  if (fs::exists(path + "/manifest.json")) return std::make_unique<ShardFrameSource>(path, split);
  if (!fs::is_directory(path))
    throw DataError(path, 0, "neither a shard folder (manifest.json) nor a cropped_aligned folder");
  return openFolderFrameSource(path);
}

}  // namespace au::infer
