// Fresh scratch folders for io and data_prep tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "common/atomic_file.h"

namespace au::testing {

/// An empty folder under the system temp dir, unique to the test name.
inline std::filesystem::path freshDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("au_test_" + name);
  removeTree(dir.string());  // not std::filesystem::remove_all: libtorch.so exports a broken copy
  std::filesystem::create_directories(dir);
  return dir;
}

inline void writeText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace au::testing
