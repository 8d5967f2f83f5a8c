#include "mpi/run_main.h"

#include <iostream>
#include <optional>

#include "common/error.h"
#include "common/log.h"
#include "common/options.h"
#include "mpi/mpi_session.h"

namespace au::mpi {
namespace {

// Parsing is deterministic on every rank, but a config file may be unreadable on one node
// only: the ranks agree on the outcome so that all of them leave together, and the lowest
// failing rank prints the message once. Returns the exit code, or nullopt to go on and run.
std::optional<int> parseEverywhere(int argc, char** argv, OptionSet& options,
                                   const ProcessGroup& world) {
  int code = kExitOk;
  std::string message;
  OptionSet::Outcome outcome = OptionSet::Outcome::kRun;
  try {
    outcome = options.parse(argc, argv);
  } catch (const Error& e) {
    code = e.exitCode();
    message = e.what();
  } catch (const std::exception& e) {
    code = kExitUsage;
    message = e.what();
  }
  std::vector<int64_t> agreed{code, code == kExitOk ? 0 : world.size() - world.rank()};
  world.allreduceMax(agreed);
  if (agreed[0] != kExitOk) {
    if (world.size() - world.rank() == agreed[1]) log::error(message);
    return static_cast<int>(agreed[0]);
  }
  if (outcome == OptionSet::Outcome::kHelp) {
    if (world.isRoot()) std::cout << options.helpText() << std::flush;
    return kExitOk;
  }
  if (outcome == OptionSet::Outcome::kDumpConfig) {
    if (world.isRoot()) std::cout << options.dumpConfig() << std::flush;
    return kExitOk;
  }
  return std::nullopt;
}

}  // namespace

int runMain(int argc, char** argv, OptionSet& options,
            const std::function<int(ProcessGroup& world)>& run) {
  MpiSession session(&argc, &argv);
  int code = kExitOk;
  double timeout_s = 600;
  options.add("mpi.timeout_s", &timeout_s,
              "seconds a rank waits in one MPI operation before rank 0 calls the roll; ranks "
              "that do not answer are named as hung and the job ends (0: wait forever)");
  options.addCheck([&timeout_s] {
    if (timeout_s < 0) AU_THROW(UsageError, "--mpi.timeout_s must be 0 or more");
  });
  {
    ProcessGroup world = ProcessGroup::world();
    if (const auto done = parseEverywhere(argc, argv, options, world)) return *done;
    world.setTimeout(timeout_s);
    try {
      code = run(world);
    } catch (const Error& e) {
      log::error(e.what());
      if (world.size() > 1) MpiSession::abort(e.exitCode());
      return e.exitCode();
    } catch (const std::exception& e) {
      log::error("unexpected error: ", e.what());
      if (world.size() > 1) MpiSession::abort(kExitFailure);
      return kExitFailure;
    }
  }
  return code;
}

}  // namespace au::mpi
