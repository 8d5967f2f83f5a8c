// cropped_aligned/<video>/%05d.jpg frame folders.
#pragma once

#include <string>
#include <vector>

namespace au::io {

/// Path of frame `number` of `video`: "<frames_root>/<video>/%05d.jpg".
std::string framePath(const std::string& frames_root, const std::string& video, int number);
/// The frame numbers of the "%05d.jpg" files in `dir`, ascending; other files are ignored.
/// Throws au::Error if `dir` cannot be listed.
std::vector<int> listFrameNumbers(const std::string& dir);

}  // namespace au::io
