// INI configuration files (--config), read into au_prep's real options.
#include "common/options.h"
#include "fuzz_input.h"
#include "prep/prep_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = au::fuzz::inputFile(data, size, "config.ini");
  au::fuzz::expectResultOrClearError([&] {
    au::OptionSet options("au_prep", "fuzzed");
    au::prep::PrepOptions prep;
    au::prep::describe(options, prep);
    const char* argv[] = {"au_prep", "--config", path.c_str()};
    if (options.parse(3, argv) == au::OptionSet::Outcome::kRun) options.dumpConfig();
  });
  return 0;
}
