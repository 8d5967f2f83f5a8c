#include "train/trainer.h"

#include <ATen/Context.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "common/atomic_file.h"
#include "common/cpu_threads.h"
#include "common/error.h"
#include "common/exit_codes.h"
#include "common/failpoint.h"
#include "common/log.h"
#include "common/options.h"
#include "common/progress.h"
#include "common/rng.h"
#include "common/stop_signal.h"
#include "data/distributed_sampler.h"
#include "data/ml_ros.h"
#include "data/shard_dataset.h"
#include "data/shard_verification.h"
#include "data/video_reference.h"
#include "distributed/device_choice.h"
#include "distributed/module_sync.h"
#include "io/shard_manifest.h"
#include "metrics/run_files.h"
#include "model/graphed_step.h"
#include "model/precision.h"
#include "model/safetensors.h"
#include "model/state_loading.h"
#include "train/checkpoint.h"
#include "train/loss_scaler.h"
#include "train/metrics_log.h"
#include "train/multi_tensor_sgd.h"
#include "train/validator.h"

namespace au::train {

void describe(OptionSet& options, TrainerConfig& c) {
  describe(options, c.train);
  model::describe(options, c.model);
  describe(options, c.loss);
  data::describe(options, c.augment);
  data::describe(options, c.loader);
  distributed::describe(options, c.comm);
  distributed::describe(options, c.sync);
}

// An epoch whose validation is still to run, as the checkpoint keeps it (what is known before
// validation): one serialiser for saving and resuming. Here in au::train so that the JSON
// library finds it by argument-dependent lookup.
// (With defaults: checkpoints written before step_losses existed still resume.)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EpochMetrics, epoch, lr, train_loss, seconds,
                                                images_per_second, allreduce_wait_share,
                                                step_losses)

namespace {

using Clock = std::chrono::steady_clock;

/// The stream key of the per-step dropout seed.
constexpr uint64_t kDropoutStream = 0x64726f706f7574ull;  // "dropout"

// Without folds: the training or the validation split. With fold k: both splits, cut by fold;
// training takes every fold but k, validation fold k.
data::DatasetSelection selectionFor(const TrainOptions& t, bool validation) {
  data::DatasetSelection s;
  if (t.fold < 0) {
    s.splits = {validation ? t.val_split : t.train_split};
  } else {
    s.splits = {t.train_split, t.val_split};
    s.fold = t.fold;
    s.exclude_fold = !validation;
  }
  return s;
}

// The settings a checkpoint's sampler position and index list depend on: a resume with other
// values would skip or repeat samples, so it is refused.
nlohmann::json samplingSettings(const TrainOptions& t) {
  return {{"global_batch", t.global_batch},
          {"ml_ros", t.ml_ros},
          {"ml_ros_percentage", t.ml_ros_percentage},
          {"fold", t.fold},
          {"train_split", t.train_split},
          {"val_split", t.val_split},
          {"max_steps_per_epoch", t.max_steps_per_epoch}};
}

void setBatchNormEval(torch::nn::Module& module) {
  for (auto& m : module.modules(/*include_self=*/false))
    if (m->as<torch::nn::BatchNorm2d>() || m->as<torch::nn::BatchNorm1d>()) m->eval();
}

// Replaces `link` by a hard link to `target` (atomically), or by a copy where links fail.
void linkAtomically(const std::string& target, const std::string& link) {
  const std::string tmp = temporaryPath(link);
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  std::filesystem::create_hard_link(target, tmp, ec);
  if (ec)
    std::filesystem::copy_file(target, tmp, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::rename(tmp, link);
}

}  // namespace

struct Trainer::Impl {
  TrainerConfig config;
  const mpi::ProcessGroup& group;
  metrics::RunFiles run;
  torch::Device device{torch::kCPU};
  model::Precision precision;

  io::ShardManifest manifest;
  std::unique_ptr<data::ShardDataset> train_set, val_set;
  std::vector<int64_t> index_list;  // ML-ROS list: dataset samples, with clones
  std::unique_ptr<data::DistributedSampler> sampler;
  // Each video's reference face (model.video_reference), per dataset.
  std::vector<uint8_t> train_references, val_references;

  model::AuNet net{nullptr};
  std::unique_ptr<MultiTensorSgd> optimizer;
  // The step's forward, loss and backward read and write these fixed tensors, so that a CUDA
  // graph can replay them (train.cuda_graph); elsewhere the same path runs eagerly.
  struct FixedStep {
    bool wanted = false;
    torch::Tensor x, labels, counts, weights, loss;
    std::unique_ptr<model::GraphedStep> graph;
  } fixed;
  std::vector<torch::Tensor> trainable;
  std::unique_ptr<distributed::Communicator> comm;
  std::unique_ptr<distributed::GradientSync> sync;
  std::unique_ptr<LossScaler> scaler;
  TrainingState state;
  double epoch_loss_sum = 0;  // global batch losses summed over this epoch's steps
  int64_t epoch_loss_steps = 0;
  std::vector<double> epoch_step_losses;  // and each of them (rank 0's copy is written)
  // Set between the end of an epoch's training and its validation: saved in last.pt, so a
  // job killed during validation validates that epoch again when it resumes.
  std::optional<EpochMetrics> pending;

  Impl(const TrainerConfig& c, const mpi::ProcessGroup& g)
      : config(c), group(g), run{c.train.run_dir} {}

  void setup();
  /// Collective: the shards this run reads, against manifest.json's CRC-32C
  /// (data/shard_verification).
  void verifyInputShards();
  void loadInitialWeights();
  int64_t stepsThisEpoch() const;

  // One epoch's loop: where it started and what it has measured so far.
  struct EpochLoop {
    int64_t epoch, steps, first_step;
    int64_t run_start_step;  // state.step when this process started the epoch
    double lr;
    ProgressMeter meter;
    Clock::time_point start = Clock::now();
    double comm_seconds = 0;
    double previous_loss = 0;  // this rank's share of the previous step's loss
  };
  // What the ranks agreed on before a step: the global batch's loss denominators, and the
  // previous step's global loss.
  struct StepAgreement {
    LossCounts counts;
    double previous_loss;
  };
  bool trainEpoch();  // false: stopped by a signal
  /// Collective: the stop vote and the global batch's counts. nullopt: the ranks stop here
  /// (the state is checkpointed).
  std::optional<StepAgreement> agreeOnStep(const data::Batch& batch, EpochLoop& loop);
  /// The batch on the device, augmented (or normalised), as the model's input.
  torch::Tensor batchInput(const data::Batch& batch, int64_t epoch);
  /// Collective: forward, loss, backward, gradient reduction and the SGD step; returns the loss.
  torch::Tensor optimiserStep(const torch::Tensor& x, const torch::Tensor& labels,
                              const LossCounts& global, EpochLoop& loop);
  void logProgress(EpochLoop& loop, int64_t step_in_epoch, double previous_global_loss);
  /// zero_grad, forward and `loss_of(logits)` at the run's precision, backward; returns the loss.
  /// Collective where gradient hooks start allreduces during backward (eager, several ranks).
  torch::Tensor forwardBackward(const torch::Tensor& x,
                                const std::function<torch::Tensor(const torch::Tensor&)>& loss_of);
  /// forwardBackward through fixed tensors, replayed as a CUDA graph on a GPU.
  torch::Tensor forwardBackwardFixed(const torch::Tensor& x, const torch::Tensor& labels,
                                     const LossCounts& global, uint64_t dropout_seed);
  void finishEpoch(double seconds, double comm_seconds, int64_t steps);
  void recordStepLoss(double global_loss) {  // a step of this epoch that this process ran
    epoch_loss_sum += global_loss;
    ++epoch_loss_steps;
    epoch_step_losses.push_back(global_loss);
  }
  void validateEpoch();  // validates `pending`, writes the epoch's files
  void saveState(const std::string& path);
  void resume();
};

void Trainer::Impl::setup() {
  const auto& t = config.train;
  const int threads = t.threads > 0 ? t.threads : defaultThreads(group.localSize());
  torch::set_num_threads(threads);
  device = distributed::chooseDevice(t.device, group, "train.device");
  precision = model::choosePrecision(t.precision, device, "train.precision");
  if (group.isRoot()) run.create();

  manifest = io::readShardManifest(t.shards);
  if (t.verify_shards) verifyInputShards();
  train_set = std::make_unique<data::ShardDataset>(manifest, selectionFor(t, /*validation=*/false));
  val_set = std::make_unique<data::ShardDataset>(manifest, selectionFor(t, /*validation=*/true));
  if (train_set->size() == 0)
    throw DataError(t.shards + "/manifest.json", 0,
                    "no labelled training frames in the selected split or folds");
  if (t.global_batch / group.size() < 2)
    AU_THROW(UsageError, "--train.global_batch ", t.global_batch,
             " leaves fewer than 2 images per rank for ", group.size(),
             " ranks (BatchNorm needs 2)");
  index_list.clear();
  if (t.ml_ros) {
    index_list =
        data::mlRos(train_set->labels(), {t.ml_ros_percentage, static_cast<uint64_t>(t.seed)});
  } else {
    for (int64_t i = 0; i < train_set->size(); ++i) index_list.push_back(i);
  }
  sampler = std::make_unique<data::DistributedSampler>(static_cast<int64_t>(index_list.size()),
                                                       t.global_batch, group.size(), group.rank(),
                                                       static_cast<uint64_t>(t.seed));
  log::root("train: ", train_set->describe(), "; ML-ROS list ", index_list.size(), " entries; ",
            sampler->stepsPerEpoch(), " steps of ", t.global_batch, " per epoch (",
            sampler->localBatch(), " per rank x ", group.size(), " ranks)");
  log::root("validation: ", val_set->describe());
  if (config.model.video_reference) {
    const auto start = Clock::now();
    // Over every face of a video, labelled or not, as au_infer computes it for a test video.
    const auto references = [&](bool validation, const data::ShardDataset& labelled) {
      auto selection = selectionFor(t, validation);
      selection.labelled_only = false;
      const data::ShardDataset every_frame(manifest, selection);
      AU_CHECK(every_frame.videoNames() == labelled.videoNames(), t.shards, "/manifest.json: the ",
               validation ? "validation" : "training",
               " selection lists other videos with unlabelled frames");
      return data::videoReferences(every_frame);
    };
    train_references = references(false, *train_set);
    val_references = references(true, *val_set);
    log::root("video reference faces of ",
              train_set->videoNames().size() + val_set->videoNames().size(), " videos in ",
              formatDuration(secondsSince(start)));
  }

  torch::manual_seed(static_cast<uint64_t>(t.seed));  // the same initial weights on every rank
  net = model::AuNet(config.model);
  loadInitialWeights();
  net->to(device);
  if (device.is_cuda()) {
    model::toChannelsLast(*net);
    // Every training batch has the same shape: cuDNN times its algorithms once and keeps the
    // fastest.
    at::globalContext().setBenchmarkCuDNN(true);
  }
  for (auto& p : net->parameters())
    if (p.requires_grad()) trainable.push_back(p);
  optimizer = std::make_unique<MultiTensorSgd>(
      trainable, torch::optim::SGDOptions(t.lr).momentum(t.momentum).weight_decay(t.weight_decay));

  state.seed = t.seed;
  if (t.resume) resume();
  comm = distributed::makeCommunicator(group, device, config.comm);
  distributed::broadcastModule(*comm, *net);
  if (!scaler) scaler = std::make_unique<LossScaler>(precision.name == "fp16");
  // fp16's loss scale changes from step to step on the host: it stays eager. Gradient hooks
  // cannot start collectives inside a captured backward, so a graph reduces after it.
  fixed.wanted = t.cuda_graph && !scaler->enabled();
  distributed::GradientSyncOptions sync_options = config.sync;
  if (fixed.wanted && device.is_cuda()) sync_options.overlap = false;
  sync = std::make_unique<distributed::GradientSync>(*comm, trainable, sync_options);
  log::root("device ", device.str(), ", ", threads, " threads per rank, precision ",
            precision.autocast ? precision.name + " autocast" : precision.name, ", collectives ",
            comm->backend(), ", ", sync->numBuckets(), " gradient buckets",
            sync->overlapping() ? " overlapped with backward"
            : config.sync.overlap && group.size() > 1 && device.is_cuda() && fixed.wanted
                ? " reduced after backward (the step is a CUDA graph)"
                : "");
}

void Trainer::Impl::loadInitialWeights() {
  const auto& t = config.train;
  if (!t.init_backbone.empty()) {
    const bool st = t.init_backbone.size() > 12 &&
                    t.init_backbone.compare(t.init_backbone.size() - 12, 12, ".safetensors") == 0;
    auto tensors =
        st ? model::readSafetensors(t.init_backbone) : model::readTorchSaveDict(t.init_backbone);
    net->adaptBackboneWeights(tensors);
    const auto report = model::loadStateDict(*net->backbone(), tensors, model::LoadMode::kPartial,
                                             "", t.init_backbone);
    log::root("backbone from ", t.init_backbone, ": ", report.summary());
  } else if (!t.init_checkpoint.empty()) {
    loadCheckpoint(t.init_checkpoint, net, nullptr);
    log::root("weights from ", t.init_checkpoint);
  }
}

void Trainer::Impl::resume() {
  const auto& t = config.train;
  // Rank 0 decides, so that ranks never disagree about where they start (a file system that
  // lags on one node would otherwise split the job).
  std::string decision =
      group.isRoot() && std::filesystem::exists(run.lastCheckpoint()) ? "yes" : "no";
  group.broadcast(decision);
  if (decision != "yes") {
    log::root("--train.resume: no ", run.lastCheckpoint(), " yet, starting afresh");
    return;
  }
  state = loadCheckpoint(run.lastCheckpoint(), net, optimizer.get(), device);
  std::vector<int64_t> where{state.step, -state.step};
  group.allreduceMax(where);
  if (where[0] != -where[1])
    throw DataError(
        run.lastCheckpoint(), 0,
        detail::concat("ranks read different checkpoints (steps ", -where[1], " to ", where[0],
                       "): is the run folder on a file system every node sees?"));
  if (state.seed != t.seed)
    AU_THROW(UsageError, run.lastCheckpoint(), " was trained with seed ", state.seed,
             ", not --train.seed ", t.seed, ": resume with the same seed, or use another run_dir");
  const auto extra = nlohmann::json::parse(state.extra.empty() ? "{}" : state.extra);
  if (extra.contains("sampling") && extra["sampling"] != samplingSettings(t))
    AU_THROW(UsageError, run.lastCheckpoint(), " was trained with ", extra["sampling"].dump(),
             "; this run has ", samplingSettings(t).dump(),
             ": resume with the same settings, or use another run_dir");
  epoch_loss_sum = extra.value("epoch_loss_sum", 0.0);
  epoch_loss_steps = extra.value("epoch_loss_steps", int64_t{0});
  epoch_step_losses = extra.value("epoch_step_losses", std::vector<double>{});
  scaler =
      std::make_unique<LossScaler>(precision.name == "fp16", extra.value("loss_scale", 65536.0),
                                   2000, extra.value("good_steps", 0));
  if (extra.contains("pending_validation")) {
    pending = extra["pending_validation"].get<EpochMetrics>();
    pending->step = state.step;
  }
  log::root("resuming from ", run.lastCheckpoint(), ": epoch ", state.epoch + 1, ", step ",
            state.step, ", position ", state.sampler_position, " in the epoch",
            pending ? " (epoch " + std::to_string(pending->epoch) + " still to validate)"
                    : std::string());
}

void Trainer::Impl::verifyInputShards() {
  const auto& t = config.train;
  const auto start = Clock::now();
  auto splits = selectionFor(t, false).splits;
  for (const auto& s : selectionFor(t, true).splits) splits.push_back(s);
  std::vector<int64_t> bytes{data::verifyShards(manifest, splits, group)};
  group.allreduceSum(bytes);
  const double seconds = secondsSince(start);
  char text[128];
  std::snprintf(text, sizeof text, "%.0f MiB read in %.2f s, %.0f MiB/s over all ranks",
                static_cast<double>(bytes[0]) / (1 << 20), seconds,
                static_cast<double>(bytes[0]) / (1 << 20) / std::max(seconds, 1e-9));
  log::root("shards match manifest.json's CRC-32C (", text, ")");
}

int64_t Trainer::Impl::stepsThisEpoch() const {
  const int64_t steps = sampler->stepsPerEpoch();
  return config.train.max_steps_per_epoch > 0
             ? std::min<int64_t>(steps, config.train.max_steps_per_epoch)
             : steps;
}

void Trainer::Impl::saveState(const std::string& path) {
  nlohmann::json extra;
  extra["epoch_loss_sum"] = epoch_loss_sum;
  extra["epoch_loss_steps"] = epoch_loss_steps;
  extra["epoch_step_losses"] = epoch_step_losses;
  extra["sampling"] = samplingSettings(config.train);
  extra["loss_scale"] = scaler->scale();
  extra["good_steps"] = scaler->goodSteps();
  if (pending) extra["pending_validation"] = *pending;
  state.extra = extra.dump();
  saveCheckpoint(path, net, optimizer.get(), state);
}

bool Trainer::Impl::trainEpoch() {
  const auto& t = config.train;
  const int64_t first_step = state.sampler_position / t.global_batch;
  EpochLoop loop{state.epoch,
                 stepsThisEpoch(),
                 first_step,
                 state.step,
                 learningRate(t, state.epoch),
                 ProgressMeter("steps", stepsThisEpoch() - first_step, t.progress_interval_s)};
  for (auto& group_options : optimizer->param_groups())
    static_cast<torch::optim::SGDOptions&>(group_options.options()).lr(loop.lr);

  const auto order = sampler->epochOrder(loop.epoch);
  data::BatchLoader loader(
      *train_set,
      [this, &order](int64_t step) {
        std::vector<int64_t> samples;
        for (int64_t p : sampler->positions(step))
          samples.push_back(index_list[static_cast<size_t>(order[static_cast<size_t>(p)])]);
        return samples;
      },
      loop.first_step, loop.steps, config.loader, device.is_cuda(),
      config.model.video_reference ? &train_references : nullptr);

  net->train();
  if (t.freeze_bn) setBatchNormEval(*net);
  while (auto batch = loader.next()) {
    const auto agreed = agreeOnStep(*batch, loop);
    if (!agreed) return false;  // stopped by a signal, checkpointed
    const torch::Tensor x = batchInput(*batch, loop.epoch);
    const torch::Tensor loss =
        optimiserStep(x, batch->labels.to(device, /*non_blocking=*/true), agreed->counts, loop);
    loop.previous_loss = loss.item<double>();
    ++state.step;
    state.sampler_position = (batch->step + 1) * t.global_batch;
    AU_FAILPOINT("train.step_done", {"rank", group.rank()}, {"fold", t.fold}, {"step", state.step});
    if (group.isRoot() && loop.meter.due() && t.progress_interval_s > 0)
      logProgress(loop, batch->step, agreed->previous_loss);
  }
  // The last step's loss arrives with no next step: reduce it here.
  std::vector<double> last{loop.previous_loss};
  group.allreduceSum(last);
  if (state.step > loop.run_start_step) recordStepLoss(last[0]);
  finishEpoch(secondsSince(loop.start), loop.comm_seconds, loop.steps - loop.first_step);
  return true;
}

std::optional<Trainer::Impl::StepAgreement> Trainer::Impl::agreeOnStep(const data::Batch& batch,
                                                                       EpochLoop& loop) {
  // One small allreduce per step: the stop vote, the loss denominators of the global batch,
  // and the previous step's loss.
  const LossCounts local = lossCounts(batch.labels);
  std::vector<double> control{stopRequested() ? 1.0 : 0.0, local.entries, local.samples,
                              loop.previous_loss};
  group.allreduceSum(control);
  if (state.step > loop.run_start_step) recordStepLoss(control[3]);
  if (control[0] > 0) {
    state.sampler_position = batch.step * config.train.global_batch;
    if (group.isRoot()) saveState(run.lastCheckpoint());
    group.barrier();
    log::root("stop signal: checkpointed epoch ", loop.epoch + 1, " step ", batch.step, "/",
              loop.steps, " (global step ", state.step, ") to ", run.lastCheckpoint(), "; exiting ",
              kExitStopped, " (resume with --train.resume)");
    return std::nullopt;
  }
  return StepAgreement{LossCounts{control[1], control[2]}, control[3]};
}

torch::Tensor Trainer::Impl::batchInput(const data::Batch& batch, int64_t epoch) {
  const auto& t = config.train;
  // A frame's reference gets the frame's own augmentation, so that only the expression differs.
  std::vector<data::SampleAugment> draws;
  if (config.augment.enabled)
    for (int64_t p : sampler->positions(batch.step))
      draws.push_back(data::drawAugment(config.augment, static_cast<uint64_t>(t.seed), epoch, p));
  const auto prepare = [&](const torch::Tensor& images) {
    if (!images.defined()) return torch::Tensor();
    const torch::Tensor on_device = images.to(device, /*non_blocking=*/true);
    return config.augment.enabled ? data::augmentImages(on_device, draws)
                                  : data::normaliseImages(on_device);
  };
  torch::Tensor x = net->input(prepare(batch.images), prepare(batch.references));
  if (device.is_cuda()) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  return x;
}

torch::Tensor Trainer::Impl::optimiserStep(const torch::Tensor& x, const torch::Tensor& labels,
                                           const LossCounts& global, EpochLoop& loop) {
  const uint64_t dropout_seed =
      Rng(static_cast<uint64_t>(config.train.seed),
          {kDropoutStream, static_cast<uint64_t>(state.step), static_cast<uint64_t>(group.rank())})
          .next();
  torch::manual_seed(dropout_seed);
  const torch::Tensor loss = fixed.wanted
                                 ? forwardBackwardFixed(x, labels, global, dropout_seed)
                                 : forwardBackward(x, [&](const torch::Tensor& logits) {
                                     return auLoss(logits, labels, config.loss, &global).total;
                                   });
  const auto comm_start = Clock::now();
  sync->finish();
  distributed::averageBuffers(*comm,
                              *net);  // BatchNorm running statistics stay equal on every rank
  loop.comm_seconds += secondsSince(comm_start);
  if (scaler->unscaleAndCheck(trainable)) optimizer->step();
  return loss;
}

void Trainer::Impl::logProgress(EpochLoop& loop, int64_t step_in_epoch,
                                double previous_global_loss) {
  const double elapsed = secondsSince(loop.start);
  // There is no previous loss before this run's first step.
  std::ostringstream previous_loss_text;
  if (state.step - 1 > loop.run_start_step)
    previous_loss_text << previous_global_loss;
  else
    previous_loss_text << "-";
  log::info("epoch ", loop.epoch + 1, "/", config.train.epochs, " step ", step_in_epoch + 1, "/",
            loop.steps, " | previous loss ", previous_loss_text.str(), " | lr ", loop.lr, " | ",
            static_cast<int64_t>((step_in_epoch + 1 - loop.first_step) * config.train.global_batch /
                                 std::max(elapsed, 1e-9)),
            " img/s | allreduce ",
            static_cast<int>(100 * loop.comm_seconds / std::max(elapsed, 1e-9)), "% | ",
            loop.meter.report(step_in_epoch + 1 - loop.first_step));
}

torch::Tensor Trainer::Impl::forwardBackward(
    const torch::Tensor& x, const std::function<torch::Tensor(const torch::Tensor&)>& loss_of) {
  optimizer->zero_grad(/*set_to_none=*/true);
  torch::Tensor loss;
  {
    std::optional<model::AutocastScope> autocast;
    if (precision.autocast) autocast.emplace(device.type(), precision.dtype);
    loss = loss_of(net->forward(x));
  }
  // Each rank's loss is its share of the global batch's; GradientSync averages, so scale by
  // the number of ranks to get the global batch's gradient.
  scaler->scaleLoss(loss * static_cast<double>(group.size())).backward();
  return loss;
}

torch::Tensor Trainer::Impl::forwardBackwardFixed(const torch::Tensor& x,
                                                  const torch::Tensor& labels,
                                                  const LossCounts& global, uint64_t dropout_seed) {
  if (!fixed.x.defined()) {
    fixed.x = torch::empty_like(x);  // keeps channels_last
    fixed.labels = torch::empty_like(labels);
    fixed.counts = torch::empty({2}, labels.options().dtype(torch::kFloat32));
    fixed.weights = auWeights(config.loss, device);
  }
  AU_CHECK(x.sizes() == fixed.x.sizes(), "every training batch has ", fixed.x.sizes(),
           " images, not ", x.sizes());
  fixed.x.copy_(x, /*non_blocking=*/true);
  fixed.labels.copy_(labels, /*non_blocking=*/true);
  fixed.counts[0].fill_(global.entries);
  fixed.counts[1].fill_(global.samples);
  const auto step = [this] {
    fixed.loss = forwardBackward(fixed.x, [this](const torch::Tensor& logits) {
      return auLoss(logits, fixed.labels, config.loss, fixed.counts, fixed.weights).total;
    });
  };
  if (!fixed.graph) {
    // Capturing runs the step once first (on this batch): BatchNorm's statistics are put back
    // so that the batch counts once, in the replay below.
    std::vector<torch::Tensor> buffers;
    for (const auto& b : net->buffers()) buffers.push_back(b.clone());
    fixed.graph = std::make_unique<model::GraphedStep>(step, device, /*warmup=*/1);
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < buffers.size(); ++i) net->buffers()[i].copy_(buffers[i]);
    torch::manual_seed(
        dropout_seed);  // and the warm-up's dropout draws: this step's masks are its own
    if (device.is_cuda() && fixed.graph->captured())
      log::root("training step (forward, loss, backward) captured as a CUDA graph");
    else if (device.is_cuda())
      log::warn("training step runs eagerly on this rank: ", fixed.graph->whyEager());
  }
  fixed.graph->run();
  return fixed.loss;
}

void Trainer::Impl::finishEpoch(double seconds, double comm_seconds, int64_t steps) {
  const auto& t = config.train;
  EpochMetrics m;
  m.epoch = state.epoch + 1;
  m.step = state.step;
  m.lr = learningRate(t, state.epoch);
  m.train_loss = epoch_loss_steps > 0 ? epoch_loss_sum / static_cast<double>(epoch_loss_steps) : 0;
  m.seconds = seconds;
  m.images_per_second = seconds > 0 ? static_cast<double>(steps * t.global_batch) / seconds : 0;
  m.allreduce_wait_share = seconds > 0 ? comm_seconds / seconds : 0;
  m.step_losses = std::move(epoch_step_losses);
  state.epoch = m.epoch;
  state.sampler_position = 0;
  epoch_loss_sum = 0;
  epoch_loss_steps = 0;
  epoch_step_losses.clear();
  pending = m;
  // The trained epoch is safe before validation starts (validation can outlast Slurm's warning).
  if (group.isRoot()) saveState(run.lastCheckpoint());
  group.barrier();
  validateEpoch();
}

void Trainer::Impl::validateEpoch() {
  const auto& t = config.train;
  EpochMetrics m = *pending;
  AU_FAILPOINT("train.before_validation", {"rank", group.rank()}, {"fold", t.fold},
               {"epoch", m.epoch});
  const auto validation_start = Clock::now();
  const ValidationResult v =
      validate(net, *val_set, group, device, t.val_batch, config.loss, config.loader,
               config.model.video_reference ? &val_references : nullptr);
  m.val_loss = v.loss;
  m.val = v.scores;
  state.best_metric = std::max(state.best_metric, v.scores.mean_f1);
  pending.reset();
  if (group.isRoot()) {
    writeFileAtomic(run.validation(m.epoch), v.probabilities_csv);
    saveState(run.checkpoint(m.epoch));
    linkAtomically(run.checkpoint(m.epoch), run.lastCheckpoint());
    appendEpochMetrics(run, m);
    log::info("epoch ", m.epoch, "/", t.epochs, " done in ", formatDuration(m.seconds), " (",
              static_cast<int64_t>(m.images_per_second), " img/s, allreduce ",
              static_cast<int>(100 * m.allreduce_wait_share), "%): train loss ", m.train_loss,
              ", validation loss ", m.val_loss, ", mean F1 ", m.val.mean_f1, ", F1_our ",
              m.val.mean_f1_our, " (", v.frames, " frames, ",
              formatDuration(secondsSince(validation_start)), ")\n",
              metrics::formatScores(v.scores));
  }
  group.barrier();
}

Trainer::Trainer(const TrainerConfig& config, const mpi::ProcessGroup& group)
    : impl_(std::make_unique<Impl>(config, group)) {
  impl_->setup();
}

Trainer::~Trainer() = default;

model::AuNet& Trainer::net() { return impl_->net; }

int Trainer::run() {
  Impl& impl = *impl_;
  installStopSignalHandlers();
  if (impl.pending) impl.validateEpoch();  // resumed after a stop during validation
  while (impl.state.epoch < impl.config.train.epochs) {
    if (!impl.trainEpoch()) return kExitStopped;
  }
  if (impl.group.isRoot()) {
    model::TensorMap weights;
    for (const auto& [name, tensor] : model::stateDict(*impl.net))
      weights[name] = tensor.detach().cpu().contiguous();
    model::writeSafetensors(impl.run.finalWeights(), weights);
    log::info("training done: ", impl.state.epoch, " epochs, ", impl.state.step,
              " steps; weights in ", impl.run.finalWeights(),
              ", checkpoints and validation probabilities in ", impl.run.dir);
  }
  impl.group.barrier();
  return kExitOk;
}

}  // namespace au::train
