// au_train: data-parallel training of the AU model on au_prep's shards.
//   mpirun -n N au_train --config configs/train.ini --train.shards DIR --train.run_dir RUN
// Exit codes: 0 trained; 64 usage; 65 bad data; 75 stopped by SIGUSR1/SIGTERM after a
// checkpoint (rerun with --train.resume); 1 anything else.
#include <filesystem>

#include "common/atomic_file.h"
#include "common/malloc_tuning.h"
#include "common/options.h"
#include "common/stop_signal.h"
#include "metrics/run_files.h"
#include "mpi/run_main.h"
#include "train/trainer.h"

int main(int argc, char** argv) {
  au::keepFreedMemoryForReuse();  // no page faults on every step's activations
  // First thing: Slurm's stop signal may come while the job is still starting up.
  au::installStopSignalHandlers();
  au::train::TrainerConfig config;
  au::OptionSet options(
      "au_train",
      "Fine-tunes the AU model (IResNet + FPN + SSH + coordinate attention) on HDF5 shards with "
      "ML-ROS, BCE + multilabel loss and SGD, data-parallel over MPI ranks (NCCL on GPUs). "
      "Validates after every epoch and writes checkpoints, per-frame validation probabilities "
      "and metrics to --train.run_dir. SIGUSR1/SIGTERM: checkpoint and exit 75.");
  au::train::describe(options, config);
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    const au::metrics::RunFiles run{config.train.run_dir};
    if (world.isRoot()) {
      run.create();
      au::writeFileAtomic(run.config(), options.dumpConfig());
    }
    au::train::Trainer trainer(config, world);
    return trainer.run();
  });
}
