// Data-parallel training of the AU model: every rank holds a replica, trains on its slice of
// each global batch, and averages gradients by buckets; validation, checkpoints and metrics
// after each epoch; exact resume; and a clean stop (checkpoint, exit 75) on SIGUSR1/SIGTERM.
#pragma once

#include <memory>

#include "data/augment.h"
#include "data/batch_loader.h"
#include "distributed/gradient_sync.h"
#include "distributed/make_communicator.h"
#include "model/au_net.h"
#include "model/model_options.h"
#include "mpi/process_group.h"
#include "train/au_loss.h"
#include "train/train_options.h"

namespace au {
class OptionSet;
}

namespace au::train {

/// Everything au_train is configured with.
struct TrainerConfig {
  TrainOptions train;
  model::ModelOptions model;
  LossOptions loss;
  data::AugmentOptions augment;
  data::LoaderOptions loader;
  distributed::CommunicatorOptions comm;
  distributed::GradientSyncOptions sync;
};
void describe(OptionSet& options, TrainerConfig& config);

class Trainer {
 public:
  /// Collective: reads the data index, builds (or resumes) the model and the communicator.
  Trainer(const TrainerConfig& config, const mpi::ProcessGroup& group);
  ~Trainer();

  /// Collective. Trains up to the last epoch (kExitOk) or until a stop signal, after which the
  /// state is checkpointed and it returns kExitStopped (75).
  int run();

  model::AuNet& net();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::train
