// What a write failure should say: the path, the system's reason and, since the usual reason
// on a cluster is a full quota or disk, how much space the file system has left.
#pragma once

#include <string>

namespace au {

/// "12.5 MiB free of 20 MiB on the file system of <dir>", for the nearest existing folder
/// holding `path`; "free space unknown" when none can be asked.
std::string freeSpaceNote(const std::string& path);

/// Throws au::Error (exit 1): "<path>: cannot <action>: <strerror(error)> (<freeSpaceNote>)".
[[noreturn]] void throwWriteError(const std::string& path, const std::string& action, int error);

}  // namespace au
