// The frames of some splits (or cross-validation folds) of a shard folder, as one indexed
// dataset: labels, video names and frame numbers in memory, images read on demand. Every HDF5
// call of the process runs on one I/O thread that all datasets share.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "io/au_names.h"
#include "io/shard_manifest.h"

namespace au::data {

/// Which frames a dataset holds.
struct DatasetSelection {
  std::vector<std::string> splits;  ///< e.g. {"train"}; with a fold: the splits folds cut
  int fold = -1;                    ///< -1: whole splits; else only (or all but) this fold
  bool exclude_fold = false;        ///< true: every fold but `fold` (training on the others)
  bool labelled_only = true;        ///< drop frames whose 12 labels are all -1
};

class ShardDataset {
 public:
  /// Opens the selected shards and reads their index. Throws UsageError for a fold the
  /// manifest does not have, and DataError naming the file for an unreadable shard.
  ShardDataset(const io::ShardManifest& manifest, const DatasetSelection& selection);
  ~ShardDataset();

  /// Frames, in manifest shard order then row order (independent of the number of ranks).
  int64_t size() const;
  const std::vector<io::AuLabels>& labels() const;
  int32_t frame(int64_t sample) const;
  int32_t video(int64_t sample) const;  ///< index into videoNames()
  const std::vector<std::string>& videoNames() const;
  /// "N frames of V videos in S shards (splits ...)".
  std::string describe() const;

  /// Reads the images of `samples` into `out` (samples.size() x 112x112x3 bytes, NHWC RGB),
  /// in that order, on the I/O thread. `out` must stay valid until the future is ready.
  std::future<void> readImages(std::vector<int64_t> samples, uint8_t* out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::data
