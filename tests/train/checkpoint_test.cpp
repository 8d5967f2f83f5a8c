#include "train/checkpoint.h"

#include <gtest/gtest.h>

#include <torch/optim/sgd.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "model/model_checkpoint.h"
#include "model/state_loading.h"
#include "train/multi_tensor_sgd.h"

namespace au::train {
namespace {
namespace fs = std::filesystem;

model::ModelOptions small() {
  model::ModelOptions o;
  o.depth = 18;
  o.fpn_width = 16;
  return o;
}

std::string scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "au_checkpoint_test";
  fs::create_directories(dir);
  return (dir / name).string();
}

// One SGD step with momentum so the optimiser has state worth saving.
void step(model::AuNet& net, torch::optim::SGD& sgd) {
  torch::manual_seed(5);
  sgd.zero_grad();
  net->forward(torch::rand({2, 3, 112, 112})).pow(2).mean().backward();
  sgd.step();
}

TEST(Checkpoint, RestoresWeightsOptimiserAndTrainingState) {
  model::AuNet net(small());
  torch::optim::SGD sgd(net->parameters(),
                        torch::optim::SGDOptions(0.01).momentum(0.9).weight_decay(5e-4));
  step(net, sgd);
  TrainingState state;
  state.epoch = 3;
  state.step = 41;
  state.sampler_position = 1024;
  state.seed = 7;
  state.best_metric = 0.61;
  state.extra = R"({"fold":2})";
  const std::string path = scratch("a.ckpt");
  saveCheckpoint(path, net, &sgd, state);

  model::AuNet other(small());
  torch::optim::SGD other_sgd(other->parameters(),
                              torch::optim::SGDOptions(0.01).momentum(0.9).weight_decay(5e-4));
  const TrainingState back = loadCheckpoint(path, other, &other_sgd);
  EXPECT_EQ(back.epoch, 3);
  EXPECT_EQ(back.step, 41);
  EXPECT_EQ(back.sampler_position, 1024);
  EXPECT_EQ(back.seed, 7);
  EXPECT_DOUBLE_EQ(back.best_metric, 0.61);
  EXPECT_EQ(back.extra, R"({"fold":2})");
  const auto a = model::stateDict(*net);
  const auto b = model::stateDict(*other);
  for (const auto& [name, t] : a) EXPECT_TRUE(torch::equal(t, b.at(name))) << name;
  // Same momentum buffers: one more identical step keeps the two models identical.
  step(net, sgd);
  step(other, other_sgd);
  for (const auto& [name, t] : model::stateDict(*net))
    EXPECT_TRUE(torch::equal(t, model::stateDict(*other).at(name))) << name;
}

// The trainer's MultiTensorSgd keeps torch::optim::SGD's state, so checkpoints written before
// it load into it (and back): the next step is the same either way.
TEST(Checkpoint, SgdOptimiserStateLoadsIntoMultiTensorSgdAndBack) {
  const auto options = torch::optim::SGDOptions(0.01).momentum(0.9).weight_decay(5e-4);
  model::AuNet net(small());
  torch::optim::SGD sgd(net->parameters(), options);
  step(net, sgd);
  const std::string path = scratch("sgd.ckpt");
  saveCheckpoint(path, net, &sgd, TrainingState{});

  model::AuNet fast_net(small());
  MultiTensorSgd fast(fast_net->parameters(), options);
  loadCheckpoint(path, fast_net, &fast);
  step(net, sgd);
  step(fast_net, fast);
  for (const auto& [name, t] : model::stateDict(*net))
    EXPECT_TRUE(torch::allclose(t, model::stateDict(*fast_net).at(name), 1e-6, 1e-7)) << name;

  const std::string fast_path = scratch("multi_tensor_sgd.ckpt");
  saveCheckpoint(fast_path, fast_net, &fast, TrainingState{});
  model::AuNet back_net(small());
  torch::optim::SGD back(back_net->parameters(), options);
  loadCheckpoint(fast_path, back_net, &back);
  step(fast_net, fast);
  step(back_net, back);
  for (const auto& [name, t] : model::stateDict(*fast_net))
    EXPECT_TRUE(torch::allclose(t, model::stateDict(*back_net).at(name), 1e-6, 1e-7)) << name;
}

TEST(Checkpoint, AnotherConfigurationIsRefusedNamingBoth) {
  model::AuNet net(small());
  const std::string path = scratch("b.ckpt");
  saveCheckpoint(path, net, nullptr, TrainingState{});
  model::ModelOptions wider = small();
  wider.fpn_width = 32;
  model::AuNet other(wider);
  try {
    loadCheckpoint(path, other, nullptr);
    FAIL();
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos);
    EXPECT_NE(what.find("fpn_width=16"), std::string::npos) << what;
    EXPECT_NE(what.find("fpn_width=32"), std::string::npos) << what;
  }
  EXPECT_EQ(model::checkpointModelFingerprint(path), small().fingerprint());
}

TEST(Checkpoint, OtherFilesAreDataErrors) {
  const std::string path = scratch("junk.ckpt");
  std::ofstream(path) << "not a checkpoint";
  model::AuNet net(small());
  EXPECT_THROW(loadCheckpoint(path, net, nullptr), DataError);
  EXPECT_THROW(loadCheckpoint(scratch("absent.ckpt"), net, nullptr), DataError);
  // A LibTorch archive that is not ours.
  torch::serialize::OutputArchive archive;
  archive.write("something", c10::IValue(int64_t{1}));
  archive.save_to(scratch("foreign.ckpt"));
  EXPECT_THROW(loadCheckpoint(scratch("foreign.ckpt"), net, nullptr), DataError);
}

}  // namespace
}  // namespace au::train
