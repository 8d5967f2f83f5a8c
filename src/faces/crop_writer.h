// Aligned face crops as JPEG files, for a person to look at what the ensemble saw.
#pragma once

#include <cstdint>
#include <string>

namespace au::faces {

/// Writes a size x size RGB crop to `path` (JPEG, quality 95). Throws au::Error naming the path.
void writeCropJpeg(const std::string& path, const uint8_t* rgb, int size);

}  // namespace au::faces
