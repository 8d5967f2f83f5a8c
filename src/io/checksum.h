// File checksums recorded in manifests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace au::io {

/// CRC-32C (Castagnoli, as iSCSI, ext4 and Python's `crc32c` package) of a file's bytes,
/// read in cache-sized blocks. Uses the SSE4.2 instruction where the CPU has it (~3x zlib's
/// CRC-32 here), a table otherwise.
uint32_t crc32cOfFile(const std::string& path);
/// CRC-32C of a buffer, continuing from `crc` (0 to start).
uint32_t crc32c(uint32_t crc, const void* data, size_t size);
/// Eight lowercase hex digits.
std::string hex32(uint32_t value);
/// FNV-1a 64-bit hash of a string: a stable fingerprint across runs and machines.
uint64_t fingerprint64(const std::string& text);

}  // namespace au::io
