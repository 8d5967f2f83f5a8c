// Reads and writes the safetensors format (8-byte little-endian header length, a JSON header of
// name -> dtype/shape/data_offsets, then raw little-endian data), the safe way to bring
// PyTorch state_dicts (e.g. insightface's backbone.pth, converted) into LibTorch.
#pragma once

#include <torch/types.h>

#include <map>
#include <string>

namespace au::model {

using TensorMap = std::map<std::string, torch::Tensor>;

/// Reads every tensor of a .safetensors file (CPU tensors of the stored dtype). Throws
/// DataError naming the file for a malformed header, unknown dtype or out-of-range offsets.
TensorMap readSafetensors(const std::string& path);
/// Writes tensors (moved to CPU, made contiguous) atomically.
void writeSafetensors(const std::string& path, const TensorMap& tensors);
/// Reads a dict of tensors saved by Python's torch.save (torch::pickle_load; the pinned
/// LibTorch 2.11 also reads the OrderedDict that model.state_dict() returns). Prefer
/// safetensors (data_prep/convert_backbone.py): unpickling runs code from the file.
TensorMap readTorchSaveDict(const std::string& path);

}  // namespace au::model
