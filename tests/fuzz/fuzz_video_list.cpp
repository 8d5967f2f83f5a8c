// The organisers' test-set video list: one video name per line.
#include "fuzz_input.h"
#include "io/video_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = au::fuzz::inputFile(data, size, "test_set_release.txt");
  au::fuzz::expectResultOrClearError([&] {
    std::vector<long> lines;
    const auto videos = au::io::readVideoList(path, &lines);
    if (lines.size() != videos.size()) std::abort();  // a line number per video, always
  });
  return 0;
}
