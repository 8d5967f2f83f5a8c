// Files that other stages read are written under a temporary name and renamed when complete,
// so a crash never leaves a half-written file under the final name.
#pragma once

#include <string>

namespace au {

/// The temporary name this process uses while writing `path`: "<path>.tmp.<pid>".
std::string temporaryPath(const std::string& path);
/// Flushes `tmp` to disk, renames it to `path` and flushes the directory entry.
void commitTemporary(const std::string& tmp, const std::string& path);
/// Writes `content` to `path` atomically (temporary file, fsync, rename).
void writeFileAtomic(const std::string& path, const std::string& content);
/// Puts the complete folder `from` in place of `to` (renames; the old `to`, if any, is removed only
/// after the new one is in place), so `to` is always a whole folder, old or new.
void replaceDirectory(const std::string& from, const std::string& to);
/// Removes `path` and everything under it, if it exists (POSIX nftw: programs linking LibTorch
/// must not call std::filesystem::remove_all, of which libtorch.so exports a broken copy).
void removeTree(const std::string& path);
/// Reads a whole file; throws au::Error naming the path if it cannot.
std::string readFile(const std::string& path);
/// Reads a whole input file; throws DataError (exit 65) "<path>: cannot read <what>" if it cannot.
std::string readInputFile(const std::string& path, const std::string& what);

}  // namespace au
