// Finds and validates the videos of each split of an Aff-Wild2-layout dataset, counting frames
// and missing images without holding any labels or pixels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/dataset_paths.h"

namespace au::io {

/// One video of one split as found on disk.
struct VideoEntry {
  std::string name;
  std::string split;            ///< "train", "validation" or "test"
  std::string annotation_file;  ///< empty for test videos
  int frames = 0;               ///< annotation rows (train/val) or highest image number (test)
  int images = 0;               ///< frames 1..frames that have an image file
  uint32_t annotation_crc = 0;  ///< CRC-32C of the annotation file (0 for test)
};

/// Scans one split: every annotation file (parsed and validated) or every test-list entry,
/// and its frame folder. Videos are sorted by name. Throws DataError (exit 65) naming the file
/// and line for bad annotations, and for a video with no frame folder.
std::vector<VideoEntry> scanSplit(const DatasetPaths& paths, const std::string& split);

/// The splits that exist in `paths`: train and validation, plus test if a test list is set.
std::vector<std::string> splitsOf(const DatasetPaths& paths);

}  // namespace au::io
