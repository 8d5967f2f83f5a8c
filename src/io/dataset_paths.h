// Where an Aff-Wild2-layout dataset lives: one root and the organisers' sub-paths, each
// overridable (relative paths are taken from the root).
#pragma once

#include <string>

namespace au {
class OptionSet;
}

namespace au::io {

struct DatasetPaths {
  std::string root = "data/synthetic";
  /// Holds Train_Set/ and Validation_Set/ with one <video>.txt each.
  std::string annotations = "annotations/AU_Detection_Challenge";
  /// Holds <video>/%05d.jpg face crops.
  std::string frames = "cropped_aligned";
  /// The test-set video list; empty for none.
  std::string test_list =
      "names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt";

  /// `path` if absolute (or empty), else root/path.
  std::string resolve(const std::string& path) const;
  std::string annotationDir(const std::string& split) const;  // "train" or "validation"
  std::string framesRoot() const { return resolve(frames); }
  std::string testList() const { return resolve(test_list); }
};

/// Binds the options `<prefix>.root`, `.annotations`, `.frames`, `.test_list`.
void describe(OptionSet& options, DatasetPaths& paths, const std::string& prefix = "data");

}  // namespace au::io
