// chooseDevice under real MPI ranks: every rank takes the same path.
#include "distributed/device_choice.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.h"
#include "test_world.h"

namespace au::distributed {
namespace {

TEST(DeviceChoice, AutoTakesTheGpuOfTheLocalRankOrTheCpu) {
  const torch::Device device = chooseDevice("auto", world(), "train.device");
  if (torch::cuda::is_available()) {
    EXPECT_TRUE(device.is_cuda());
    EXPECT_EQ(device.index(), world().localRank() % static_cast<int>(torch::cuda::device_count()));
  } else {
    EXPECT_EQ(device, torch::Device(torch::kCPU));
  }
  EXPECT_EQ(chooseDevice("cpu", world(), "train.device"), torch::Device(torch::kCPU));
}

TEST(DeviceChoice, ImpossibleChoicesAreUsageErrorsNamingTheOption) {
  try {
    chooseDevice("gpu", world(), "infer.device");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--infer.device must be auto, cpu or cuda"),
              std::string::npos)
        << e.what();
  }
  if (torch::cuda::is_available()) GTEST_SKIP() << "a GPU is here: cuda is a possible choice";
  try {
    chooseDevice("cuda", world(), "train.device");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--train.device cuda, but no CUDA GPU is visible"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace au::distributed
