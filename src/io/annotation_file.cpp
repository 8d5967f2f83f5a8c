#include "io/annotation_file.h"

#include <filesystem>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::io {
namespace {

// Splits text into lines, dropping a trailing '\r' from each and a final empty line.
std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string trim(const std::string& s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

}  // namespace

std::vector<AuLabels> parseAnnotations(const std::string& text, const std::string& path) {
  const std::vector<std::string> lines = splitLines(text);
  if (lines.empty())
    throw DataError(path, 1, "empty file; expected the header '" + kAuHeader + "'");
  std::string header = lines[0];
  if (header.rfind("\xEF\xBB\xBF", 0) == 0) header.erase(0, 3);  // UTF-8 byte order mark
  if (header != kAuHeader)
    throw DataError(path, 1, "wrong header '" + header + "'; expected '" + kAuHeader + "'");
  std::vector<AuLabels> rows;
  rows.reserve(lines.size() - 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    const long line_no = static_cast<long>(i + 1);
    AuLabels labels{};
    int count = 0;
    size_t start = 0;
    const std::string& line = lines[i];
    if (line.empty())
      throw DataError(path, line_no, "empty line; expected 12 comma-separated values");
    while (true) {
      size_t end = line.find(',', start);
      if (end == std::string::npos) end = line.size();
      const std::string value = trim(line.substr(start, end - start));
      if (count < kNumAus) {
        if (value == "0" || value == "1" || value == "-1") {
          labels[static_cast<size_t>(count)] = static_cast<signed char>(std::stoi(value));
        } else {
          throw DataError(path, line_no,
                          "value '" + value + "' of " + kAuNames[static_cast<size_t>(count)] +
                              " is not one of -1, 0, 1");
        }
      }
      ++count;
      if (end == line.size()) break;
      start = end + 1;
    }
    if (count != kNumAus)
      throw DataError(path, line_no,
                      "expected 12 comma-separated values, found " + std::to_string(count));
    rows.push_back(labels);
  }
  return rows;
}

std::vector<AuLabels> readAnnotationFile(const std::string& path) {
  return parseAnnotations(readInputFile(path, "annotation file"), path);
}

void writeAnnotationFile(const std::string& path, const std::vector<AuLabels>& rows) {
  std::string text = kAuHeader + "\n";
  text.reserve(text.size() + rows.size() * 26);
  for (const AuLabels& row : rows) {
    for (int a = 0; a < kNumAus; ++a) {
      if (a) text += ',';
      text += std::to_string(static_cast<int>(row[static_cast<size_t>(a)]));
    }
    text += '\n';
  }
  writeFileAtomic(path, text);
}

std::string videoNameOf(const std::string& annotation_path) {
  return std::filesystem::path(annotation_path).stem().string();
}

}  // namespace au::io
