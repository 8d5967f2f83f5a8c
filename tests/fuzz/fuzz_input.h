// What every fuzz target shares: the input as a file (for parsers that take a path), and the
// rule that an input gets its result or a documented error (DataError or UsageError, which
// name the file). Anything else escapes, and libFuzzer reports it as a crash.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "common/error.h"

namespace au::fuzz {

/// A folder of this process's own under $TMPDIR (made once, left for the OS to clean).
inline const std::string& scratchFolder() {
  static const std::string folder = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp ? tmp : "/tmp") + "/au_fuzz.XXXXXX";
    if (!mkdtemp(pattern.data())) std::abort();
    return pattern;
  }();
  return folder;
}

/// Writes the input to `name` in the scratch folder and returns its path.
inline std::string inputFile(const uint8_t* data, size_t size, const std::string& name) {
  const std::string path = scratchFolder() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

/// Runs `parse`; a DataError or UsageError is the clear error the input deserves.
template <typename Parse>
void expectResultOrClearError(Parse&& parse) {
  try {
    parse();
  } catch (const DataError&) {
  } catch (const UsageError&) {
  }
}

}  // namespace au::fuzz
