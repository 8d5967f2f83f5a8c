// au_select's ensemble spec (JSON): checkpoints or fold members, per-AU choice, fill.
#include "fuzz_input.h"
#include "infer/ensemble_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = au::fuzz::inputFile(data, size, "ensemble.json");
  au::fuzz::expectResultOrClearError([&] { au::infer::readSpec(path); });
  return 0;
}
