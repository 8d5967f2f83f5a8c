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

/// The organisers' ABAW5+ template: a header starting with `image_location`, then one row per
/// frame, `<video>/<%05d>.jpg` first (other columns ignored), each video one block of frames
/// 1..N. It fixes the videos' order and frame counts.
struct TestTemplate {
  std::vector<std::string> videos;    ///< in the template's order
  std::map<std::string, int> frames;  ///< N per video
};
/// Throws DataError naming file and line for a bad header, image location or frame sequence.
TestTemplate readTestTemplate(const std::string& path);

/// What is wrong with the submission at `path` for the test list `videos` (every video present
/// exactly once, nothing else), when given the expected frame count of each video, and with
/// `check_order` the order of the videos in an ABAW5 file. Empty when it is valid.
std::vector<std::string> checkSubmission(const std::string& path,
                                         const std::vector<std::string>& videos,
                                         const std::map<std::string, int>& frame_counts = {},
                                         bool check_order = false);

}  // namespace au::infer
