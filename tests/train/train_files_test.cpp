#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/atomic_file.h"
#include "train/metrics_log.h"
#include "train/train_options.h"

namespace au::train {
namespace {

TEST(LearningRate, DividedAtEachMilestone) {
  TrainOptions t;  // 0.001, milestones 4, 6, 8, gamma 0.1
  EXPECT_DOUBLE_EQ(learningRate(t, 0), 0.001);
  EXPECT_DOUBLE_EQ(learningRate(t, 3), 0.001);
  EXPECT_NEAR(learningRate(t, 4), 1e-4, 1e-12);
  EXPECT_NEAR(learningRate(t, 6), 1e-5, 1e-13);
  EXPECT_NEAR(learningRate(t, 14), 1e-6, 1e-14);
}

TEST(MetricsLog, AppendsAndDropsEpochsAfterAResumePoint) {
  std::string pattern = testing::TempDir() + "/metrics_log_test_XXXXXX";
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << pattern;
  const std::string dir = pattern;
  metrics::RunFiles run{dir};
  run.create();
  for (int64_t epoch : {1, 2, 3}) {
    EpochMetrics m;
    m.epoch = epoch;
    m.train_loss = 1.0 / static_cast<double>(epoch);
    m.step = 2 * epoch;
    m.lr = 0.5;
    m.step_losses = {0.25 * static_cast<double>(epoch), 0.125};
    appendEpochMetrics(run, m);
  }
  EpochMetrics again;  // a resumed run redoes epoch 2
  again.epoch = 2;
  again.train_loss = 0.25;
  again.step = 4;
  again.lr = 0.5;
  again.step_losses = {0.75};  // resumed from a checkpoint that kept only the last step's loss
  appendEpochMetrics(run, again);
  std::istringstream in(readFile(run.metricsJsonl()));
  std::vector<double> losses;
  for (std::string line; std::getline(in, line);)
    losses.push_back(nlohmann::json::parse(line)["train_loss"]);
  EXPECT_EQ(losses, (std::vector<double>{1.0, 0.25}));
  std::istringstream csv(readFile(run.metricsCsv()));
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("epoch,step,lr,train_loss,val_loss,val_mean_f1,", 0), 0u) << header;
  EXPECT_NE(header.find("val_f1_AU26"), std::string::npos);
  EXPECT_EQ(readFile(run.stepsCsv()),
            "epoch,step,lr,loss\n1,1,0.5,0.25\n1,2,0.5,0.125\n2,4,0.5,0.75\n");
  // C calls, not std::filesystem::remove_all: libtorch.so exports a broken copy of that, which
  // the dynamic linker may pick (it crashed here).
  for (const auto& file : {run.metricsJsonl(), run.metricsCsv(), run.stepsCsv()})
    EXPECT_EQ(::unlink(file.c_str()), 0) << file;
  for (const auto& folder : {dir + "/checkpoints", dir + "/validation", dir})
    ::rmdir(folder.c_str());
}

}  // namespace
}  // namespace au::train
