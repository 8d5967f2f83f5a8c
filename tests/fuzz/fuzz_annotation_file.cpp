// Aff-Wild2 AU annotation files: the 12-AU header, then one line of 12 values (0, 1, -1) per frame.
#include "fuzz_input.h"
#include "io/annotation_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  au::fuzz::expectResultOrClearError([&] { au::io::parseAnnotations(text, "video1.txt"); });
  return 0;
}
