// au_buildinfo: prints what this build and node offer (LibTorch, CUDA, NCCL, GPUs, MPI ranks),
// the first thing to run on a new cluster node.
#include <iostream>

#include "common/log.h"
#include "common/options.h"
#include "distributed/build_info.h"
#include "mpi/run_main.h"

int main(int argc, char** argv) {
  au::OptionSet options("au_buildinfo",
                        "Prints the LibTorch version, whether CUDA and NCCL are compiled in, and "
                        "the GPUs each rank sees.");
  return au::mpi::runMain(argc, argv, options, [](au::mpi::ProcessGroup& world) {
    const auto info = au::distributed::queryBuildInfo();
    if (world.isRoot()) std::cout << au::distributed::describe(info);
    au::log::info("local rank ", world.localRank(), "/", world.localSize(), ", GPUs visible ",
                  info.gpus_visible);
    return 0;
  });
}
