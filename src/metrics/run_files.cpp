#include "metrics/run_files.h"

#include <cstdio>
#include <filesystem>

namespace au::metrics {
namespace {
std::string numbered(const std::string& dir, const char* folder, int64_t epoch, const char* ext) {
  char name[64];
  std::snprintf(name, sizeof name, "/%s/epoch_%03lld.%s", folder, static_cast<long long>(epoch),
                ext);
  return dir + name;
}
}  // namespace

std::string RunFiles::checkpoint(int64_t epoch) const {
  return numbered(dir, "checkpoints", epoch, "pt");
}
std::string RunFiles::validation(int64_t epoch) const {
  return numbered(dir, "validation", epoch, "csv");
}

void RunFiles::create() const {
  std::filesystem::create_directories(dir + "/checkpoints");
  std::filesystem::create_directories(dir + "/validation");
}

}  // namespace au::metrics
