// Options of au_train: data, schedule (the paper's SGD recipe by default), initialisation,
// precision, checkpoints and resume. Components with their own options (model, loss,
// augmentation, loader, dist) bind theirs beside these.
#pragma once

#include <string>
#include <vector>

namespace au {
class OptionSet;
}

namespace au::train {

struct TrainOptions {
  std::string shards;         ///< au_prep's output folder (manifest.json)
  bool verify_shards = true;  ///< check the shards' CRC-32C against the manifest first
  std::string run_dir;        ///< checkpoints, validation probabilities, metrics
  std::string train_split = "train";
  std::string val_split = "validation";
  /// -1: train on train_split, validate on val_split. k >= 0: train on every fold of
  /// train_split + val_split but k, validate on fold k (5-fold cross validation).
  int fold = -1;

  int epochs = 15;
  long long global_batch = 256;  ///< split evenly over the ranks
  double lr = 0.001;
  double momentum = 0.9;
  double weight_decay = 5e-4;
  std::vector<int> lr_milestones{4, 6, 8};  ///< 0-based epochs where the lr is divided
  double lr_gamma = 0.1;
  long long seed = 2022;
  bool ml_ros = true;  ///< ML-ROS resampling of the training frames
  double ml_ros_percentage = 25;
  bool freeze_bn = false;  ///< BatchNorm layers in eval mode while training

  std::string init_backbone;    ///< insightface backbone weights (.safetensors or torch.save)
  std::string init_checkpoint;  ///< an au_train checkpoint whose weights start this run
  bool resume = false;          ///< continue from run_dir's newest checkpoint if there is one

  std::string device = "auto";  ///< auto (cuda:<local rank> if a GPU is there, else cpu), cpu, cuda
  std::string precision = "auto";  ///< auto (bf16 on CUDA, fp32 on CPU), fp32, bf16, fp16
  /// On a GPU, capture the step's forward, loss and backward once as a CUDA graph and replay it
  /// (not with fp16, whose loss scale changes). Gradients are then reduced after backward.
  bool cuda_graph = true;
  int threads = 0;  ///< intra-op threads per rank (0: cores / ranks on the node)
  long long val_batch = 128;
  long long max_steps_per_epoch = 0;  ///< 0: whole epochs; else stop each epoch early (tests)
  double progress_interval_s = 10;
};

void describe(OptionSet& options, TrainOptions& train);

/// The learning rate of a 0-based epoch: lr * gamma^(milestones <= epoch).
double learningRate(const TrainOptions& options, int64_t epoch);

}  // namespace au::train
