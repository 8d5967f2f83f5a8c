// The per-epoch metrics of a run, as JSON lines (metrics.jsonl) and a CSV table (metrics.csv),
// and each step's loss and learning rate (steps.csv), all rewritten atomically after each epoch. On
// resume, epochs after the checkpoint are dropped, so the files always describe the run that
// produced the newest checkpoint.
#pragma once

#include <cstdint>
#include <vector>

#include "metrics/au_metrics.h"
#include "metrics/run_files.h"

namespace au::train {

struct EpochMetrics {
  int64_t epoch = 0;  ///< 1-based
  int64_t step = 0;   ///< optimiser steps so far
  double lr = 0;
  double train_loss = 0;
  double val_loss = 0;
  metrics::AuScores val;            ///< at threshold 0.5
  double seconds = 0;               ///< training time of the epoch (without validation)
  double images_per_second = 0;     ///< global
  double allreduce_wait_share = 0;  ///< share of step time spent waiting for gradients
  /// The global loss of each of the epoch's steps, in order, ending at `step` (steps.csv only).
  std::vector<double> step_losses;
};

/// Adds `metrics` to the run's files, replacing any record of the same or a later epoch.
void appendEpochMetrics(const metrics::RunFiles& run, const EpochMetrics& metrics);

}  // namespace au::train
