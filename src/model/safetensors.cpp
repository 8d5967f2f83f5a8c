#include "model/safetensors.h"

#include <torch/serialize.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::model {
namespace {

struct DtypeName {
  const char* name;
  torch::Dtype dtype;
};
constexpr DtypeName kDtypes[] = {{"F32", torch::kFloat32},   {"F16", torch::kFloat16},
                                 {"BF16", torch::kBFloat16}, {"F64", torch::kFloat64},
                                 {"I64", torch::kInt64},     {"I32", torch::kInt32},
                                 {"I16", torch::kInt16},     {"I8", torch::kInt8},
                                 {"U8", torch::kUInt8},      {"BOOL", torch::kBool}};

torch::Dtype dtypeOf(const std::string& name, const std::string& path, const std::string& tensor) {
  for (const auto& d : kDtypes)
    if (name == d.name) return d.dtype;
  throw DataError(path, 0, "tensor '" + tensor + "' has unsupported dtype '" + name + "'");
}

const char* nameOf(torch::Dtype dtype) {
  for (const auto& d : kDtypes)
    if (dtype == d.dtype) return d.name;
  AU_THROW(Error, "safetensors cannot store dtype ", dtype);
}

}  // namespace

TensorMap readSafetensors(const std::string& path) {
  const std::string bytes = readInputFile(path, "safetensors file");
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
  const size_t data_start = 8 + header_size;
  const size_t data_size = bytes.size() - data_start;
  TensorMap tensors;
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") continue;
    try {
      const torch::Dtype dtype = dtypeOf(info.at("dtype").get<std::string>(), path, name);
      const auto shape = info.at("shape").get<std::vector<int64_t>>();
      const auto offsets = info.at("data_offsets").get<std::vector<size_t>>();
      if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > data_size)
        throw DataError(path, 0, "tensor '" + name + "' has data offsets outside the file");
      torch::Tensor t = torch::empty(shape, torch::TensorOptions().dtype(dtype));
      const size_t expected = static_cast<size_t>(t.numel()) * t.element_size();
      if (offsets[1] - offsets[0] != expected)
        throw DataError(path, 0,
                        "tensor '" + name + "' holds " + std::to_string(offsets[1] - offsets[0]) +
                            " bytes, its shape needs " + std::to_string(expected));
      if (expected > 0) std::memcpy(t.data_ptr(), bytes.data() + data_start + offsets[0], expected);
      tensors.emplace(name, std::move(t));
    } catch (const nlohmann::json::exception& e) {
      throw DataError(path, 0, "bad header entry for '" + name + "': " + e.what());
    }
  }
  return tensors;
}

void writeSafetensors(const std::string& path, const TensorMap& tensors) {
  nlohmann::json header = nlohmann::json::object();
  std::vector<torch::Tensor> ordered;
  size_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
    const size_t size = static_cast<size_t>(t.numel()) * t.element_size();
    header[name] = {{"dtype", nameOf(t.scalar_type())},
                    {"shape", t.sizes().vec()},
                    {"data_offsets", {offset, offset + size}}};
    offset += size;
    ordered.push_back(t);
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // the format recommends 8-byte alignment
  std::string out(8, '\0');
  const uint64_t header_size = text.size();
  std::memcpy(out.data(), &header_size, 8);
  out += text;
  out.reserve(out.size() + offset);
  for (const auto& t : ordered)
    out.append(static_cast<const char*>(t.data_ptr()),
               static_cast<size_t>(t.numel()) * t.element_size());
  writeFileAtomic(path, out);
}

TensorMap readTorchSaveDict(const std::string& path) {
  const std::string bytes = readInputFile(path, "the file");
  const std::vector<char> data(bytes.begin(), bytes.end());
  c10::IValue value;
  try {
    value = torch::pickle_load(data);
  } catch (const c10::Error& e) {
    throw DataError(path, 0,
                    std::string("torch::pickle_load failed: ") + e.what_without_backtrace());
  }
  if (!value.isGenericDict())
    throw DataError(path, 0,
                    "does not hold a dict of tensors; convert it to safetensors with "
                    "data_prep/convert_backbone.py");
  TensorMap tensors;
  for (const auto& item : value.toGenericDict()) {
    if (!item.key().isString() || !item.value().isTensor())
      throw DataError(path, 0, "the dict must map names to tensors");
    tensors.emplace(item.key().toStringRef(), item.value().toTensor());
  }
  return tensors;
}

}  // namespace au::model
