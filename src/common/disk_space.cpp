#include "common/disk_space.h"

#include <sys/statvfs.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/error.h"

namespace au {
namespace {

std::string mebibytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", bytes / (1024.0 * 1024.0));
  return text;
}

}  // namespace

std::string freeSpaceNote(const std::string& path) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::absolute(path, error).parent_path();
  while (!folder.empty() && !std::filesystem::is_directory(folder, error)) {
    if (folder == folder.root_path()) break;
    folder = folder.parent_path();
  }
  struct statvfs fs {};
  if (folder.empty() || ::statvfs(folder.c_str(), &fs) != 0) return "free space unknown";
  const double unit = static_cast<double>(fs.f_frsize);
  return mebibytes(unit * static_cast<double>(fs.f_bavail)) + " free of " +
         mebibytes(unit * static_cast<double>(fs.f_blocks)) + " on the file system of " +
         folder.string();
}

void throwWriteError(const std::string& path, const std::string& action, int error) {
  AU_THROW(Error, path, ": cannot ", action, ": ", std::strerror(error), " (", freeSpaceNote(path),
           ")");
}

}  // namespace au
