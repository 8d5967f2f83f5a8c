// Writes one HDF5 shard (schema in shard_schema.h) frame by frame with a bounded buffer.
// The caller writes to a temporary path and renames it after close().
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "io/au_names.h"

namespace au::io {

struct ShardWriterOptions {
  int chunk_frames = 4;  ///< frames per HDF5 chunk of `images` (one read fetches this many)
  int compression = 0;   ///< gzip level 0-9 for `images` (0: none)
};

class ShardWriter {
 public:
  ShardWriter(const std::string& path, const std::string& split, int shard_index,
              uint64_t plan_fingerprint, const ShardWriterOptions& options);
  /// Closes the file if close() was not called; the shard is then not marked complete.
  ~ShardWriter();
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  /// Starts the next video; its frames must follow. Returns its index in the video table.
  int addVideo(const std::string& name, int num_frames);
  /// Appends one frame of the current video: 112x112x3 RGB bytes and its labels.
  void appendFrame(int frame, const AuLabels& labels, const uint8_t* rgb);
  /// Records a frame of the current video that has no usable image (shard::MissingReason).
  void recordMissing(int frame, int8_t reason);
  /// Writes the tables, marks the shard complete and closes the file.
  void close();
  int64_t rowsWritten() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::io
