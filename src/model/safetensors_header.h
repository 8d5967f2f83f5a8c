// The header of a safetensors file (8-byte little-endian length, then JSON: name -> dtype,
// shape, data_offsets), parsed and checked without torch: every offset inside the data, every
// shape's size equal to its bytes. What readSafetensors trusts before it allocates anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace au::model {

struct SafetensorsEntry {
  std::string name;
  std::string dtype;  ///< F32, F16, BF16, F64, I64, I32, I16, I8, U8 or BOOL
  std::vector<int64_t> shape;
  size_t begin = 0, end = 0;  ///< byte range within the data (after the header)
};

struct SafetensorsLayout {
  size_t data_start = 0;  ///< 8 + the header's length
  std::vector<SafetensorsEntry> tensors;
};

/// Bytes per element of a safetensors dtype name; 0 for a name it does not know.
size_t safetensorsElementSize(const std::string& dtype);

/// Parses the header of a whole safetensors file's `bytes`. Throws DataError naming `path` for
/// a short file, a length beyond the end, bad JSON, an entry without dtype/shape/data_offsets,
/// an unknown dtype, a negative dimension, offsets outside the data, or a byte count that does
/// not match the shape.
SafetensorsLayout parseSafetensorsHeader(std::string_view bytes, const std::string& path);

}  // namespace au::model
