#include "data/shard_dataset.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>
#include <set>

#include "common/error.h"
#include "common/serial_executor.h"
#include "io/shard_reader.h"
#include "io/shard_schema.h"

namespace au::data {

namespace {
// HDF5 is not thread-safe: every dataset of the process shares this one I/O thread.
SerialExecutor& hdf5Thread() {
  static SerialExecutor executor;
  return executor;
}
}  // namespace

struct ShardDataset::Impl {
  std::vector<io::AuLabels> labels;
  std::vector<int32_t> shard, frame, video;
  std::vector<int64_t> row;
  std::vector<std::string> video_names;
  std::vector<std::string> splits;
  std::vector<io::ShardReader> readers;  // touched only on hdf5Thread()

  void load(const io::ShardManifest& manifest, const DatasetSelection& sel);
};

void ShardDataset::Impl::load(const io::ShardManifest& manifest, const DatasetSelection& sel) {
  std::set<std::string> fold_videos;
  if (sel.fold >= 0) {
    if (sel.fold >= static_cast<int>(manifest.folds.size()))
      AU_THROW(UsageError, "fold ", sel.fold, " asked for, but ", manifest.folder,
               "/manifest.json has ", manifest.folds.size(), " folds (0..",
               static_cast<int>(manifest.folds.size()) - 1, "; au_prep --prep.folds sets them)");
    const auto& members = manifest.folds[static_cast<size_t>(sel.fold)];
    fold_videos.insert(members.begin(), members.end());
  }
  auto wanted = [&](const std::string& name) {
    if (sel.fold < 0) return true;
    return fold_videos.count(name) != 0 ? !sel.exclude_fold : sel.exclude_fold;
  };
  for (const auto& split : sel.splits) {
    const auto paths = manifest.shardPaths(split);
    if (paths.empty())
      throw DataError(manifest.folder + "/manifest.json", 0, "no shards of split '" + split + "'");
    for (const auto& path : paths) {
      io::ShardReader reader(path);
      const int32_t shard_index = static_cast<int32_t>(readers.size());
      std::vector<int32_t> video_id(reader.videos().size(), -1);
      bool any = false;
      for (size_t v = 0; v < reader.videos().size(); ++v) {
        if (!wanted(reader.videos()[v])) continue;
        video_id[v] = static_cast<int32_t>(video_names.size());
        video_names.push_back(reader.videos()[v]);
        any = true;
      }
      if (!any) continue;
      const int64_t rows = reader.numRows();
      const auto shard_labels = reader.readLabels(0, rows);
      const auto shard_videos = reader.readVideoIndex(0, rows);
      const auto shard_frames = reader.readFrameNumbers(0, rows);
      for (int64_t r = 0; r < rows; ++r) {
        const int32_t v = video_id[static_cast<size_t>(shard_videos[static_cast<size_t>(r)])];
        if (v < 0) continue;
        const auto& l = shard_labels[static_cast<size_t>(r)];
        if (sel.labelled_only &&
            std::all_of(l.begin(), l.end(), [](signed char x) { return x < 0; }))
          continue;
        labels.push_back(l);
        shard.push_back(shard_index);
        row.push_back(r);
        video.push_back(v);
        frame.push_back(shard_frames[static_cast<size_t>(r)]);
      }
      readers.push_back(std::move(reader));
    }
  }
  splits = sel.splits;
}

ShardDataset::ShardDataset(const io::ShardManifest& manifest, const DatasetSelection& selection)
    : impl_(std::make_unique<Impl>()) {
  Impl* impl = impl_.get();
  hdf5Thread().submit([impl, &manifest, &selection] { impl->load(manifest, selection); }).get();
}

ShardDataset::~ShardDataset() {
  // Readers close on the I/O thread too.
  Impl* impl = impl_.get();
  hdf5Thread().submit([impl] { impl->readers.clear(); }).wait();
}

int64_t ShardDataset::size() const { return static_cast<int64_t>(impl_->labels.size()); }
const std::vector<io::AuLabels>& ShardDataset::labels() const { return impl_->labels; }
int32_t ShardDataset::frame(int64_t s) const { return impl_->frame[static_cast<size_t>(s)]; }
int32_t ShardDataset::video(int64_t s) const { return impl_->video[static_cast<size_t>(s)]; }
const std::vector<std::string>& ShardDataset::videoNames() const { return impl_->video_names; }

std::string ShardDataset::describe() const {
  std::string splits;
  for (const auto& s : impl_->splits) splits += (splits.empty() ? "" : "+") + s;
  return std::to_string(size()) + " frames of " + std::to_string(impl_->video_names.size()) +
         " videos in " + std::to_string(impl_->readers.size()) + " shards (" + splits + ")";
}

std::future<void> ShardDataset::readImages(std::vector<int64_t> samples, uint8_t* out) const {
  Impl* impl = impl_.get();
  return hdf5Thread().submit([impl, samples = std::move(samples), out] {
    constexpr int64_t kBytes = io::shard::kImageBytes;
    // Read in (shard, row) order, merging consecutive rows into one call.
    std::vector<size_t> order(samples.size());
    std::iota(order.begin(), order.end(), size_t{0});
    auto key = [&](size_t i) {
      const auto s = static_cast<size_t>(samples[i]);
      return std::make_pair(impl->shard[s], impl->row[s]);
    };
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
    std::vector<uint8_t> run_buffer;
    for (size_t begin = 0; begin < order.size();) {
      const auto [shard, first_row] = key(order[begin]);
      size_t end = begin + 1;
      while (end < order.size() && key(order[end]).first == shard &&
             key(order[end]).second <= key(order[end - 1]).second + 1)
        ++end;
      const int64_t count = key(order[end - 1]).second - first_row + 1;
      run_buffer.resize(static_cast<size_t>(count * kBytes));
      impl->readers[static_cast<size_t>(shard)].readImages(first_row, count, run_buffer.data());
      for (size_t i = begin; i < end; ++i)
        std::memcpy(out + static_cast<int64_t>(order[i]) * kBytes,
                    run_buffer.data() + (key(order[i]).second - first_row) * kBytes, kBytes);
      begin = end;
    }
  });
}

}  // namespace au::data
