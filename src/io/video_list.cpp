#include "io/video_list.h"

#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::io {

void checkVideoName(const std::string& name, const std::string& file, long line) {
  const auto refuse = [&](const std::string& why) {
    throw DataError(file, line, "'" + name + "' cannot be a video name: " + why);
  };
  if (name.empty()) refuse("it is empty");
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
    refuse("it contains a path separator");
  if (name.find(',') != std::string::npos)
    refuse(
        "it contains a comma, which the CSV files of validation predictions and ABAW5 "
        "submissions cannot hold; rename the video's folder and annotation file");
  for (const char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      refuse("it contains a control character");
}

std::vector<std::string> readVideoList(const std::string& path, std::vector<long>* lines) {
  const std::string text = readInputFile(path, "video list");
  std::vector<std::string> videos;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    std::string name = line.substr(first, last - first + 1);
    checkVideoName(name, path, line_no);
    if (!seen.insert(name).second)
      throw DataError(path, line_no, "video '" + name + "' is listed twice");
    videos.push_back(std::move(name));
    if (lines) lines->push_back(line_no);
  }
  return videos;
}

void writeVideoList(const std::string& path, const std::vector<std::string>& videos) {
  std::string text;
  for (const auto& v : videos) text += v + "\n";
  writeFileAtomic(path, text);
}

}  // namespace au::io
