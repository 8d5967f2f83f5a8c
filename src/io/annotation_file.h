// Aff-Wild2 AU annotation files: a header line, then one row of 12 values in {-1,0,1} per
// frame; data row i belongs to frame image %05d.jpg number i.
#pragma once

#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::io {

/// Reads and validates one annotation file (CRLF tolerated, a trailing empty line ignored).
/// Throws DataError naming the file and line for a wrong header, a row without exactly 12
/// values, or a value outside {-1,0,1}.
std::vector<AuLabels> readAnnotationFile(const std::string& path);
/// Parses annotation text; `path` is only used in error messages.
std::vector<AuLabels> parseAnnotations(const std::string& text, const std::string& path);
/// Writes an annotation file atomically in the organisers' format (LF line ends).
void writeAnnotationFile(const std::string& path, const std::vector<AuLabels>& rows);
/// The video name of an annotation file: its file name without ".txt".
std::string videoNameOf(const std::string& annotation_path);

}  // namespace au::io
