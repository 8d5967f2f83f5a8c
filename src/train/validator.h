// Validation after an epoch: the frames of the validation set split into contiguous slices
// over the ranks, probabilities from the model in eval mode, scores reduced across ranks, and
// every frame's probabilities gathered on rank 0 (the input of ensemble selection).
#pragma once

#include <torch/types.h>

#include <string>

#include "data/batch_loader.h"
#include "data/shard_dataset.h"
#include "metrics/au_metrics.h"
#include "model/au_net.h"
#include "mpi/process_group.h"
#include "train/au_loss.h"

namespace au::train {

struct ValidationResult {
  metrics::AuScores scores;  ///< at threshold 0.5
  double loss = 0;           ///< the training loss of the whole validation set as one batch
  int64_t frames = 0;
  /// Rank 0 only: CSV "video,frame,prob_AU1..prob_AU12,label_AU1..label_AU12", one line per
  /// frame in dataset order (empty on other ranks).
  std::string probabilities_csv;
};

/// Collective. Leaves `net` in eval mode. `video_references`: the dataset's videoReferences()
/// for a model with video_reference, else null.
ValidationResult validate(model::AuNet& net, const data::ShardDataset& dataset,
                          const mpi::ProcessGroup& group, const torch::Device& device,
                          int64_t batch, const LossOptions& loss, const data::LoaderOptions& loader,
                          const std::vector<uint8_t>* video_references);

}  // namespace au::train
