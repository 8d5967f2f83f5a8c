// Aligned face crops (JPEG) decoded into 112x112 RGB: a bad file is kUnreadable, never a crash.
#include <vector>

#include "fuzz_input.h"
#include "io/face_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<uint8_t> rgb(112 * 112 * 3);
  au::fuzz::expectResultOrClearError([&] {
    const auto result = au::io::decodeFaceImage(bytes, rgb.data());
    if (result.status == au::io::FaceImageStatus::kUnreadable && result.problem.empty())
      std::abort();  // an unreadable image always says why
  });
  return 0;
}
