#include "model/safetensors.h"

#include <torch/serialize.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "model/safetensors_header.h"

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

torch::Dtype dtypeOf(const std::string& name) {
  for (const auto& d : kDtypes)
    if (name == d.name) return d.dtype;
  AU_THROW(Error, "safetensors dtype ", name, " has no torch dtype");  // the header checked it
}

const char* nameOf(torch::Dtype dtype) {
  for (const auto& d : kDtypes)
    if (dtype == d.dtype) return d.name;
  AU_THROW(Error, "safetensors cannot store dtype ", dtype);
}

}  // namespace

TensorMap readSafetensors(const std::string& path) {
  const std::string bytes = readInputFile(path, "safetensors file");
  const SafetensorsLayout layout = parseSafetensorsHeader(bytes, path);
  TensorMap tensors;
  for (const auto& entry : layout.tensors) {
    torch::Tensor t = torch::empty(entry.shape, torch::TensorOptions().dtype(dtypeOf(entry.dtype)));
    if (entry.end > entry.begin)
      std::memcpy(t.data_ptr(), bytes.data() + layout.data_start + entry.begin,
                  entry.end - entry.begin);
    tensors.emplace(entry.name, std::move(t));
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
