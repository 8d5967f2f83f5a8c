#include "train/train_options.h"

#include <cmath>

#include "common/error.h"
#include "common/options.h"

namespace au::train {

void describe(OptionSet& options, TrainOptions& t) {
  options.add("train.shards", &t.shards, "shard folder written by au_prep (holds manifest.json)");
  options.add("train.verify_shards", &t.verify_shards,
              "before training, check every shard read against the CRC-32C in manifest.json "
              "(the ranks share the reading; a damaged shard stops the run, named)");
  options.add("train.run_dir", &t.run_dir,
              "output folder: checkpoints, validation probabilities, metrics");
  options.add("train.train_split", &t.train_split, "split to train on");
  options.add("train.val_split", &t.val_split, "split to validate on");
  options.add("train.fold", &t.fold,
              "cross validation: train on every fold of both splits but this one, validate on it "
              "(-1: off)");
  options.add("train.epochs", &t.epochs, "epochs to train");
  options.add("train.global_batch", &t.global_batch, "images per optimiser step over all ranks");
  options.add("train.lr", &t.lr, "SGD learning rate");
  options.add("train.momentum", &t.momentum, "SGD momentum");
  options.add("train.weight_decay", &t.weight_decay, "SGD weight decay");
  options.add("train.lr_milestones", &t.lr_milestones,
              "0-based epochs at which the lr is multiplied by lr_gamma");
  options.add("train.lr_gamma", &t.lr_gamma, "lr factor at each milestone");
  options.add("train.seed", &t.seed,
              "seed of everything random (sampling, augmentation, dropout, init)");
  options.add("train.ml_ros", &t.ml_ros, "oversample minority AUs with ML-ROS");
  options.add("train.ml_ros_percentage", &t.ml_ros_percentage,
              "ML-ROS clones as a percentage of the training frames");
  options.add("train.freeze_bn", &t.freeze_bn, "keep BatchNorm layers in eval mode while training");
  options.add(
      "train.init_backbone", &t.init_backbone,
      "pretrained insightface backbone to start from (.safetensors, or a torch.save state_dict)");
  options.add("train.init_checkpoint", &t.init_checkpoint,
              "au_train checkpoint whose weights start this run");
  options.add("train.resume", &t.resume,
              "continue from run_dir/checkpoints/last.pt when it exists");
  options.add("train.device", &t.device,
              "auto, cpu or cuda (cuda: the GPU of the node-local rank)");
  options.add("train.precision", &t.precision,
              "auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16 (CUDA)");
  options.add(
      "train.cuda_graph", &t.cuda_graph,
      "GPU: replay forward, loss and backward as one CUDA graph (launch-bound steps get faster; "
      "gradients are then reduced after backward, not during it)");
  options.add("train.threads", &t.threads,
              "intra-op threads per rank (0: the CPUs the launcher gave the rank, else the node's "
              "cores / its ranks)");
  options.add("train.val_batch", &t.val_batch, "images per validation batch per rank");
  options.add("train.max_steps_per_epoch", &t.max_steps_per_epoch,
              "cut epochs short (0: whole epochs)");
  options.add("train.progress_interval_s", &t.progress_interval_s,
              "seconds between progress lines (0: none)");
  options.addCheck([&t] {
    if (t.shards.empty())
      AU_THROW(UsageError, "--train.shards is required (au_prep's output folder)");
    if (t.run_dir.empty()) AU_THROW(UsageError, "--train.run_dir is required");
    if (t.epochs < 1) AU_THROW(UsageError, "--train.epochs must be at least 1");
    if (t.global_batch < 1 || t.val_batch < 1) AU_THROW(UsageError, "batch sizes must be positive");
    if (t.lr <= 0 || t.momentum < 0 || t.weight_decay < 0 || t.lr_gamma <= 0)
      AU_THROW(UsageError,
               "lr and lr_gamma must be positive, momentum and weight_decay not negative");
    if (t.fold < -1) AU_THROW(UsageError, "--train.fold must be -1 (off) or a fold number");
    if (t.ml_ros_percentage < 0)
      AU_THROW(UsageError, "--train.ml_ros_percentage must not be negative");
    if (t.device != "auto" && t.device != "cpu" && t.device != "cuda")
      AU_THROW(UsageError, "--train.device must be auto, cpu or cuda, not '", t.device, "'");
    if (t.precision != "auto" && t.precision != "fp32" && t.precision != "bf16" &&
        t.precision != "fp16")
      AU_THROW(UsageError, "--train.precision must be auto, fp32, bf16 or fp16, not '", t.precision,
               "'");
    if (!t.init_backbone.empty() && !t.init_checkpoint.empty())
      AU_THROW(UsageError, "give --train.init_backbone or --train.init_checkpoint, not both");
    if (t.threads < 0 || t.max_steps_per_epoch < 0)
      AU_THROW(UsageError, "threads and max_steps_per_epoch must not be negative");
  });
}

double learningRate(const TrainOptions& options, int64_t epoch) {
  int passed = 0;
  for (int m : options.lr_milestones) passed += m <= epoch;
  return options.lr * std::pow(options.lr_gamma, passed);
}

}  // namespace au::train
