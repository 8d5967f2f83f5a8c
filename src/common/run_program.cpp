#include "common/run_program.h"

#include <iostream>

#include "common/error.h"
#include "common/log.h"

namespace au {

int runProgram(int argc, char** argv, OptionSet& options, const std::function<int()>& run) {
  try {
    switch (options.parse(argc, argv)) {
      case OptionSet::Outcome::kHelp:
        std::cout << options.helpText();
        return kExitOk;
      case OptionSet::Outcome::kDumpConfig:
        std::cout << options.dumpConfig();
        return kExitOk;
      case OptionSet::Outcome::kRun:
        break;
    }
    return run();
  } catch (const Error& e) {
    log::error(e.what());
    return e.exitCode();
  } catch (const std::exception& e) {
    log::error("unexpected error: ", e.what());
    return kExitFailure;
  }
}

}  // namespace au
