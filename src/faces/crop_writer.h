// Aligned face crops as image files, for a person to look at what the ensemble saw.
#pragma once

#include <cstdint>
#include <string>

namespace au::faces {

/// Writes a size x size RGB crop to `path`, in the format its extension names (.jpg: JPEG at
/// quality 95; .png: lossless). Throws au::Error naming the path.
void writeCropImage(const std::string& path, const uint8_t* rgb, int size);

}  // namespace au::faces
