// Reads an HDF5 shard (schema in shard_schema.h): its tables whole, images and labels by range.
// Not thread-safe (HDF5 is not): keep all calls of a process on one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::io {

struct MissingFrame {
  int video = 0;  ///< index into videos()
  int frame = 0;
  int8_t reason = 0;  ///< shard::MissingReason
};

class ShardReader {
 public:
  /// Opens a shard read-only. Throws DataError naming the file if it is not a readable shard
  /// of a supported schema version.
  explicit ShardReader(const std::string& path);
  ~ShardReader();
  ShardReader(ShardReader&&) noexcept;
  ShardReader& operator=(ShardReader&&) noexcept;

  const std::string& path() const;
  int schemaVersion() const;
  bool complete() const;
  const std::string& split() const;
  int shardIndex() const;
  uint64_t planFingerprint() const;
  int64_t numRows() const;

  const std::vector<std::string>& videos() const;
  const std::vector<int64_t>& videoFirstRow() const;
  const std::vector<int64_t>& videoNumRows() const;
  const std::vector<int32_t>& videoNumFrames() const;
  const std::vector<MissingFrame>& missing() const;

  std::vector<AuLabels> readLabels(int64_t first_row, int64_t count) const;
  std::vector<int32_t> readVideoIndex(int64_t first_row, int64_t count) const;
  std::vector<int32_t> readFrameNumbers(int64_t first_row, int64_t count) const;
  /// Reads `count` images into `out` (count * 112*112*3 bytes, NHWC RGB).
  void readImages(int64_t first_row, int64_t count, uint8_t* out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::io
