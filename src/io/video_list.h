// The organisers' test-set video lists: one video name per line.
#pragma once

#include <string>
#include <vector>

namespace au::io {

/// Throws DataError naming `file` (and `line` when above 0) when `name` cannot name a video in
/// the files the stages write: empty, a path separator, a comma (the CSV files: validation
/// predictions, ABAW5 submissions) or a control character. Spaces and non-ASCII are fine.
void checkVideoName(const std::string& name, const std::string& file, long line = 0);

/// Reads a video list (CRLF tolerated, blank lines and surrounding spaces ignored).
/// Throws DataError naming file and line for a duplicate name or one checkVideoName refuses.
/// `lines`, if given, receives the line number of each name.
std::vector<std::string> readVideoList(const std::string& path, std::vector<long>* lines = nullptr);
/// Writes a video list atomically.
void writeVideoList(const std::string& path, const std::vector<std::string>& videos);

}  // namespace au::io
