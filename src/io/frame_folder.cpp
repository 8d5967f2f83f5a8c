#include "io/frame_folder.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "common/error.h"

namespace au::io {

std::string framePath(const std::string& frames_root, const std::string& video, int number) {
  char name[32];
  std::snprintf(name, sizeof name, "%05d.jpg", number);
  return frames_root + "/" + video + "/" + name;
}

std::vector<int> listFrameNumbers(const std::string& dir) {
  std::vector<int> numbers;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) AU_THROW(Error, "cannot list frame folder '", dir, "': ", ec.message());
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    // Aff-Wild2 names frames with at least five digits; accept any run of digits + ".jpg".
    if (name.size() < 5 || name.compare(name.size() - 4, 4, ".jpg") != 0) continue;
    const std::string digits = name.substr(0, name.size() - 4);
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    numbers.push_back(std::stoi(digits));
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

}  // namespace au::io
