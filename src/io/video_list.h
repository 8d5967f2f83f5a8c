// The organisers' test-set video lists: one video name per line.
#pragma once

#include <string>
#include <vector>

namespace au::io {

/// Reads a video list (CRLF tolerated, blank lines and surrounding spaces ignored).
/// Throws DataError naming file and line for a duplicate name or a name with a path separator.
/// `lines`, if given, receives the line number of each name.
std::vector<std::string> readVideoList(const std::string& path, std::vector<long>* lines = nullptr);
/// Writes a video list atomically.
void writeVideoList(const std::string& path, const std::vector<std::string>& videos);

}  // namespace au::io
