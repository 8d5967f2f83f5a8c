// Aff-Wild2 names the two people of one recording <video>_left and <video>_right: both come
// from the raw video <video>. Whatever splits videos into folds keeps a raw video together.
#pragma once

#include <string>

namespace au::io {

/// The raw video a video comes from: "video7_left" -> "video7", "video7" -> "video7".
std::string rawVideoName(const std::string& video);

}  // namespace au::io
