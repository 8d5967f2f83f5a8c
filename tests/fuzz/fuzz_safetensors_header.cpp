// The safetensors header: 8-byte length, JSON of name -> dtype, shape, data_offsets.
#include "fuzz_input.h"
#include "model/safetensors_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  au::fuzz::expectResultOrClearError([&] {
    const auto layout = au::model::parseSafetensorsHeader(bytes, "weights.safetensors");
    // What readSafetensors relies on: every tensor's bytes lie inside the file.
    for (const auto& t : layout.tensors)
      if (t.begin > t.end || layout.data_start + t.end > size) std::abort();
  });
  return 0;
}
