// au_prep: MPI ranks turn an Aff-Wild2-layout dataset into sharded HDF5 plus manifest.json.
#include "common/options.h"
#include "mpi/run_main.h"
#include "prep/prep_options.h"
#include "prep/prep_runner.h"

int main(int argc, char** argv) {
  au::OptionSet options(
      "au_prep",
      "Preprocesses an Aff-Wild2-layout dataset (annotations, cropped_aligned frames, test list)\n"
      "into HDF5 shards of whole videos and a manifest.json with per-AU label counts.\n"
      "Run under MPI: mpirun -n N au_prep --config configs/prep.ini. Shards are written under a\n"
      "temporary name and renamed when complete; a rerun keeps complete shards and redoes the "
      "rest.");
  au::prep::PrepOptions prep;
  au::prep::describe(options, prep);
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    return au::prep::runPrep(world, prep);
  });
}
