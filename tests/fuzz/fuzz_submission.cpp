// ABAW submissions: the input read as an ABAW5 file and as the one video of an ABAW3 folder.
#include <sys/stat.h>

#include "fuzz_input.h"
#include "infer/submission.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string abaw5 = au::fuzz::inputFile(data, size, "predictions.csv");
  au::fuzz::expectResultOrClearError([&] { au::infer::readSubmission(abaw5); });
  const std::string abaw3 = au::fuzz::scratchFolder() + "/abaw3";
  mkdir(abaw3.c_str(), 0700);
  au::fuzz::inputFile(data, size, "abaw3/video1.txt");
  au::fuzz::expectResultOrClearError([&] { au::infer::readSubmission(abaw3); });
  return 0;
}
