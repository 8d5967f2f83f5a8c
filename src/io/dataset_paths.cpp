#include "io/dataset_paths.h"

#include "common/error.h"
#include "common/options.h"

namespace au::io {

std::string DatasetPaths::resolve(const std::string& path) const {
  if (path.empty() || path.front() == '/') return path;
  return root + "/" + path;
}

std::string DatasetPaths::annotationDir(const std::string& split) const {
  if (split == "train") return resolve(annotations) + "/Train_Set";
  if (split == "validation") return resolve(annotations) + "/Validation_Set";
  AU_THROW(Error, "no annotation folder for split '", split, "'");
}

void describe(OptionSet& options, DatasetPaths& paths, const std::string& prefix) {
  options.add(prefix + ".root", &paths.root, "dataset root in the Aff-Wild2 layout");
  options.add(prefix + ".annotations", &paths.annotations,
              "folder holding Train_Set/ and Validation_Set/ annotation files (relative to root)");
  options.add(prefix + ".frames", &paths.frames,
              "folder of <video>/%05d.jpg face crops (cropped_aligned; relative to root)");
  options.add(prefix + ".test_list", &paths.test_list,
              "test-set video list, one name per line (relative to root; empty: no test split)");
}

}  // namespace au::io
