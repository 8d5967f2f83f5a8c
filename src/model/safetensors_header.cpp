#include "model/safetensors_header.h"

#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace au::model {
namespace {

struct DtypeSize {
  const char* name;
  size_t bytes;
};
constexpr DtypeSize kDtypeSizes[] = {{"F32", 4}, {"F16", 2}, {"BF16", 2}, {"F64", 8}, {"I64", 8},
                                     {"I32", 4}, {"I16", 2}, {"I8", 1},   {"U8", 1},  {"BOOL", 1}};

SafetensorsEntry entryOf(const std::string& name, const nlohmann::json& info, size_t data_size,
                         const std::string& path) {
  const auto fail = [&](const std::string& what) {
    return DataError(path, 0, "tensor '" + name + "' " + what);
  };
  if (!info.is_object()) throw fail("is not described by a JSON object");
  SafetensorsEntry e;
  e.name = name;
  e.dtype = info.at("dtype").get<std::string>();
  const size_t element = safetensorsElementSize(e.dtype);
  if (element == 0) throw fail("has unsupported dtype '" + e.dtype + "'");
  e.shape = info.at("shape").get<std::vector<int64_t>>();
  const auto offsets = info.at("data_offsets").get<std::vector<uint64_t>>();
  if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > data_size)
    throw fail("has data offsets outside the file");
  e.begin = static_cast<size_t>(offsets[0]);
  e.end = static_cast<size_t>(offsets[1]);
  // The shape's byte count, refusing overflow: it must equal the bytes the offsets give, which
  // the file's size bounds, so nothing larger than the file is ever allocated.
  uint64_t expected = element;
  for (const int64_t dim : e.shape) {
    if (dim < 0) throw fail("has a negative dimension " + std::to_string(dim));
    if (dim != 0 && expected > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(dim))
      throw fail("has a shape too large for any file");
    expected *= static_cast<uint64_t>(dim);
  }
  if (e.end - e.begin != expected)
    throw fail("holds " + std::to_string(e.end - e.begin) + " bytes, its shape needs " +
               std::to_string(expected));
  return e;
}

}  // namespace

size_t safetensorsElementSize(const std::string& dtype) {
  for (const auto& d : kDtypeSizes)
    if (dtype == d.name) return d.bytes;
  return 0;
}

SafetensorsLayout parseSafetensorsHeader(std::string_view bytes, const std::string& path) {
  if (bytes.size() < 8) throw DataError(path, 0, "too short for a safetensors file");
  uint64_t header_size = 0;
  std::memcpy(&header_size, bytes.data(), 8);  // little-endian, as x86 and ARM are
  if (header_size > bytes.size() - 8)
    throw DataError(path, 0, "header length beyond the end of the file");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.substr(8, header_size));
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path, 0, std::string("bad JSON header: ") + e.what());
  }
  if (!header.is_object()) throw DataError(path, 0, "the JSON header is not an object");
  SafetensorsLayout layout;
  layout.data_start = 8 + static_cast<size_t>(header_size);
  const size_t data_size = bytes.size() - layout.data_start;
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") continue;
    try {
      layout.tensors.push_back(entryOf(name, info, data_size, path));
    } catch (const nlohmann::json::exception& e) {
      throw DataError(path, 0, "bad header entry for '" + name + "': " + e.what());
    }
  }
  return layout;
}

}  // namespace au::model
