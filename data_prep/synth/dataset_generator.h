// Writes a whole synthetic dataset in the Aff-Wild2 layout:
//   annotations/AU_Detection_Challenge/{Train_Set,Validation_Set}/<video>.txt
//   cropped_aligned/<video>/%05d.jpg                       (112x112 face crops)
//   names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt
//   names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_template.csv
//   test_ground_truth/AU_Detection_Challenge/Test_Set/<video>.txt  (kept apart for scoring)
//   batch1/<raw video>.mp4                                 (optional)
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "synth/synth_options.h"

namespace au::synth {

struct GeneratedVideo {
  std::string name;
  std::string split;  ///< "train", "validation" or "test"
  int frames = 0;
  int images = 0;
  std::array<int64_t, 12> positives{};
  int64_t unknown_rows = 0;
};

/// Generates the dataset under a temporary folder next to options.out and renames it into
/// place when complete. Throws UsageError if options.out exists and overwrite is off.
std::vector<GeneratedVideo> generateDataset(const SynthOptions& options);

/// The test list path inside a dataset root (the organisers' file name).
std::string testListPath(const std::string& root);
/// The organisers' ABAW5-style template (image_location rows: video order and frame counts).
std::string testTemplatePath(const std::string& root);
/// Where the test ground truth goes (not part of Aff-Wild2: the demo scores itself with it).
std::string testGroundTruthDir(const std::string& root);

}  // namespace au::synth
