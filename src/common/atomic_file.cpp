#include "common/atomic_file.h"

#include <ftw.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/disk_space.h"
#include "common/error.h"

namespace au {
namespace {

void fsyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) AU_THROW(Error, "cannot open '", path, "' to sync: ", std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throwWriteError(path, "flush it to disk", err);
}

// Writes all of `content` to `fd`; returns 0 or the errno of the failure.
int writeAll(int fd, const std::string& content) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    done += static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace

std::string temporaryPath(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

void commitTemporary(const std::string& tmp, const std::string& path) {
  fsyncPath(tmp, false);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    AU_THROW(Error, "cannot rename '", tmp, "' to '", path, "': ", std::strerror(errno));
  const auto parent = std::filesystem::absolute(path).parent_path();
  fsyncPath(parent.string(), true);
}

void writeFileAtomic(const std::string& path, const std::string& content) {
  const std::string tmp = temporaryPath(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throwWriteError(path, "create " + tmp, errno);
  int error = writeAll(fd, content);
  // A full disk may show only at close (NFS) or at the fsync of commitTemporary.
  if (::close(fd) != 0 && !error) error = errno;
  if (error) {
    std::remove(tmp.c_str());  // nothing half-written stays, under either name
    throwWriteError(path, "write " + std::to_string(content.size()) + " bytes", error);
  }
  try {
    commitTemporary(tmp, path);
  } catch (const Error&) {
    std::remove(tmp.c_str());
    throw;
  }
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) AU_THROW(Error, "cannot open '", path, "': ", std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string readInputFile(const std::string& path, const std::string& what) {
  try {
    return readFile(path);
  } catch (const Error&) {
    throw DataError(path, 0, "cannot read " + what);
  }
}

namespace {
int removeEntry(const char* path, const struct stat*, int, struct FTW*) { return ::remove(path); }
}  // namespace

void replaceDirectory(const std::string& from, const std::string& to) {
  struct stat info {};
  if (::lstat(to.c_str(), &info) != 0) {
    if (::rename(from.c_str(), to.c_str()) != 0)
      AU_THROW(Error, "cannot rename ", from, " to ", to, ": ", std::strerror(errno));
    return;
  }
  const std::string old = to + ".old." + std::to_string(::getpid());
  removeTree(old);
  if (::rename(to.c_str(), old.c_str()) != 0)
    AU_THROW(Error, "cannot rename ", to, " to ", old, ": ", std::strerror(errno));
  if (::rename(from.c_str(), to.c_str()) != 0)
    AU_THROW(Error, "cannot rename ", from, " to ", to, ": ", std::strerror(errno));
  removeTree(old);
}

void removeTree(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return;
  if (::nftw(path.c_str(), removeEntry, 16, FTW_DEPTH | FTW_PHYS) != 0)
    AU_THROW(Error, "cannot remove ", path, ": ", std::strerror(errno));
}

}  // namespace au
