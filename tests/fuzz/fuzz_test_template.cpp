// The organisers' ABAW5+ template: image_location header, <video>/<%05d>.jpg rows.
#include "fuzz_input.h"
#include "infer/submission.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = au::fuzz::inputFile(data, size, "test_set_template.csv");
  au::fuzz::expectResultOrClearError([&] {
    const auto t = au::infer::readTestTemplate(path);
    if (t.frames.size() != t.videos.size()) std::abort();  // every video has its frame count
  });
  return 0;
}
