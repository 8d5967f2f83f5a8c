// The NCCL backend under real MPI ranks; compiled into NCCL builds, skipped without a GPU per rank.
#include <ATen/cuda/Sleep.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.h"
#include "distributed/nccl_communicator.h"
#include "test_world.h"

namespace au::distributed {
namespace {

torch::Device rankGpu() {
  const int gpus = static_cast<int>(torch::cuda::device_count());
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(world().localRank() % gpus));
}

// Empty when this rank can run NCCL tests, else why not.
std::string whyNot() {
  if (!torch::cuda::is_available()) return "no CUDA GPU here";
  const int gpus = static_cast<int>(torch::cuda::device_count());
  if (gpus < world().size())
    return "NCCL needs a GPU per rank: " + std::to_string(gpus) + " GPUs for " +
           std::to_string(world().size()) + " ranks";
  return "";
}

TEST(GpuCommunicators, NcclSumsAndBroadcasts) {
  if (const auto why = whyNot(); !why.empty()) GTEST_SKIP() << why;
  const int n = world().size(), r = world().rank();
  NcclCommunicator nccl(world(), rankGpu(), 60);
  torch::Tensor t = torch::full({1000}, static_cast<float>(r + 1), rankGpu());
  nccl.allreduceSum(t);
  EXPECT_TRUE(torch::equal(t.cpu(), torch::full({1000}, static_cast<float>(n * (n + 1) / 2))));
  torch::Tensor b = torch::full({7}, static_cast<float>(r), rankGpu());
  nccl.broadcast(b, 0);
  EXPECT_TRUE(torch::equal(b.cpu(), torch::zeros({7})));
}

TEST(GpuCommunicators, NcclSumsBf16AndTimesOut) {
  if (const auto why = whyNot(); !why.empty()) GTEST_SKIP() << why;
  const int n = world().size(), r = world().rank();
  const torch::Device device = rankGpu();
  NcclCommunicator nccl(world(), device, 60);
  // Small integers are exact in bf16, so the sum is too.
  torch::Tensor half = torch::full({4096}, static_cast<float>(r + 1), device).to(torch::kBFloat16);
  nccl.allreduceSum(half);
  EXPECT_TRUE(torch::equal(half.cpu().to(torch::kFloat32),
                           torch::full({4096}, static_cast<float>(n * (n + 1) / 2))));

  // A spin kernel of about 2 s (at 2 GHz) queued before the allreduce: it cannot finish within
  // 0.2 s. One rank only: aborting a communicator whose peers' kernels are queued is not safe.
  if (n > 1) GTEST_SKIP() << "the timeout is tested with one rank (the GPU check's)";
  NcclCommunicator slow(world(), device, 0.2);
  at::cuda::sleep(4'000'000'000LL);
  torch::Tensor t = torch::ones({16}, device);
  try {
    slow.allreduceSum(t);
    ADD_FAILURE() << "the allreduce did not time out";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
  }
  torch::cuda::synchronize();  // the spin ends before the next test
}

}  // namespace
}  // namespace au::distributed
