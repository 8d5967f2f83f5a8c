// ABAW AU-track submissions: the ABAW3 folder (one <video>.txt per test video, the 12-AU
// header, one 0/1 line per frame) and the ABAW5+ single file (image_location column), written
// atomically, read back with errors that name file and line, and checked against a test list.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::infer {

using FramePrediction = std::array<int8_t, io::kNumAus>;

/// One video's predictions, frames 1..N in order.
struct VideoSubmission {
  std::string video;
  std::vector<FramePrediction> frames;
};

/// ABAW3: folder `dir` with one `<video>.txt` per video. Built under a temporary name and
/// renamed, so `dir` is complete or absent; an existing `dir` is replaced.
void writeAbaw3(const std::string& dir, const std::vector<VideoSubmission>& videos);
/// ABAW5+: one CSV, header `image_location,AU1,...`, rows `<video>/<%05d>.jpg,<12 values>`,
/// videos in the given order. Written atomically.
void writeAbaw5(const std::string& path, const std::vector<VideoSubmission>& videos);

/// Reads either format: a folder is ABAW3 (every *.txt, by name), a file ABAW5. Throws
/// DataError naming the file and line for a wrong header, a line without 12 values, a value
/// other than 0/1, or (ABAW5) frames of a video not consecutive from 1 or a video split up.
std::vector<VideoSubmission> readSubmission(const std::string& path);

/// What is wrong with the submission at `path` for the test list `videos` (every video present
/// exactly once, nothing else) and, when given, the expected frame count of each video. Empty
/// when it is valid.
std::vector<std::string> checkSubmission(const std::string& path, const std::vector<std::string>& videos,
                                         const std::map<std::string, int>& frame_counts = {});

}  // namespace au::infer
