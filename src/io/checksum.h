// File checksums recorded in manifests.
#pragma once

#include <cstdint>
#include <string>

namespace au::io {

/// CRC-32 (zlib polynomial) of a file's bytes, read in bounded blocks.
uint32_t crc32OfFile(const std::string& path);
/// Eight lowercase hex digits.
std::string hex32(uint32_t value);
/// FNV-1a 64-bit hash of a string: a stable fingerprint across runs and machines.
uint64_t fingerprint64(const std::string& text);

}  // namespace au::io
