#include "model/precision.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.h"

namespace au::model {
namespace {

TEST(Precision, AutoIsFp32OnTheCpu) {
  const Precision cpu = choosePrecision("auto", torch::kCPU, "train.precision");
  EXPECT_EQ(cpu.name, "fp32");
  EXPECT_FALSE(cpu.autocast);
  const Precision bf16 = choosePrecision("bf16", torch::kCPU, "train.precision");
  EXPECT_TRUE(bf16.autocast);
  EXPECT_EQ(bf16.dtype, torch::kBFloat16);
}

TEST(Precision, AutoIsBf16OnAGpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA GPU here";
  const Precision gpu = choosePrecision("auto", torch::Device(torch::kCUDA, 0), "train.precision");
  EXPECT_EQ(gpu.name, "bf16");
  const Precision fp16 = choosePrecision("fp16", torch::Device(torch::kCUDA, 0), "train.precision");
  EXPECT_EQ(fp16.dtype, torch::kFloat16);
}

TEST(Precision, ImpossibleChoicesAreUsageErrorsNamingTheOption) {
  try {
    choosePrecision("fp16", torch::kCPU, "infer.precision");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--infer.precision fp16 needs a CUDA device"),
              std::string::npos)
        << e.what();
  }
  try {
    choosePrecision("fp8", torch::kCPU, "train.precision");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(
        std::string(e.what()).find("--train.precision must be auto, fp32, bf16 or fp16, not 'fp8'"),
        std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace au::model
