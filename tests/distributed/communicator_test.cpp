// Tensor collectives and gradient buckets under real MPI ranks (run at -n 2 and -n 3).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "distributed/gradient_sync.h"
#include "distributed/module_sync.h"
#include "distributed/mpi_communicator.h"
#include "test_world.h"

namespace au::distributed {
namespace {

TEST(MpiCommunicator, SumsEveryDtypeOverRanks) {
  MpiCommunicator comm(world());
  const int n = comm.size(), r = comm.rank();
  ASSERT_GE(n, 2) << "run under mpiexec -n 2 or more";
  for (auto dtype : {torch::kFloat32, torch::kFloat64, torch::kInt64, torch::kBFloat16}) {
    torch::Tensor t =
        torch::arange(10, torch::TensorOptions().dtype(torch::kFloat64)).mul(r + 1).to(dtype);
    comm.allreduceSum(t);
    const torch::Tensor expected = torch::arange(10, torch::kFloat64) * (n * (n + 1) / 2);
    EXPECT_TRUE(torch::equal(t.to(torch::kFloat64), expected)) << dtype;
  }
}

TEST(MpiCommunicator, ChunksLargeTensorsAndKeepsOrder) {
  // Chunks of 7 elements stand in for INT_MAX: the result must not depend on the split.
  MpiCommunicator comm(world(), /*max_chunk_elements=*/7);
  const int n = comm.size(), r = comm.rank();
  std::vector<torch::Tensor> tensors;
  std::vector<std::unique_ptr<Work>> works;
  for (int i = 0; i < 5; ++i) {
    tensors.push_back(torch::full({100 + i}, static_cast<float>(r + i)));
    works.push_back(comm.allreduceSumAsync(tensors.back()));
  }
  for (int i = 4; i >= 0; --i) {  // waiting out of order is allowed
    works[static_cast<size_t>(i)]->wait();
    EXPECT_TRUE(
        torch::allclose(tensors[static_cast<size_t>(i)],
                        torch::full({100 + i}, static_cast<float>(n * (n - 1) / 2 + n * i))));
  }
}

TEST(MpiCommunicator, BroadcastsFromAnyRoot) {
  MpiCommunicator comm(world());
  torch::Tensor t = torch::full({3, 4}, static_cast<float>(comm.rank()));
  comm.broadcast(t, comm.size() - 1);
  EXPECT_TRUE(torch::equal(t, torch::full({3, 4}, static_cast<float>(comm.size() - 1))));
}

// A small net whose parameters span several dtypes of layer, to fill several buckets.
struct Net : torch::nn::Module {
  torch::nn::Linear a{nullptr}, b{nullptr}, unused{nullptr};
  Net() {
    a = register_module("a", torch::nn::Linear(16, 32));
    b = register_module("b", torch::nn::Linear(32, 4));
    unused = register_module("unused", torch::nn::Linear(4, 4));  // never gets a gradient
  }
  torch::Tensor forward(const torch::Tensor& x) { return b(torch::tanh(a(x))); }
};

torch::Tensor rankInput(int rank) {
  return torch::randn({8, 16}, torch::TensorOptions().dtype(torch::kFloat32)).add(rank) *
         torch::ones({1}).mul(1 + rank);
}

std::vector<torch::Tensor> gradientsFor(Net& net, const torch::Tensor& x) {
  net.zero_grad();
  net.forward(x).pow(2).mean().backward();
  std::vector<torch::Tensor> grads;
  for (auto& p : net.parameters())
    grads.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
  return grads;
}

void expectMeanGradients(double bucket_mb, bool overlap) {
  MpiCommunicator comm(world());
  const int n = comm.size();
  torch::manual_seed(7);  // same initial weights everywhere
  Net net;
  // The expected mean: every rank's gradient, computed here from every rank's input.
  std::vector<torch::Tensor> expected;
  for (int r = 0; r < n; ++r) {
    torch::manual_seed(100 + r);
    auto grads = gradientsFor(net, rankInput(r));
    if (expected.empty()) {
      expected = grads;
    } else {
      for (size_t i = 0; i < grads.size(); ++i) expected[i] += grads[i];
    }
  }
  for (auto& g : expected) g /= n;

  GradientSync sync(comm, net.parameters(), {bucket_mb, overlap});
  for (int step = 0; step < 2; ++step) {  // twice: the second step reuses the buckets
    torch::manual_seed(100 + comm.rank());
    for (auto& p : net.parameters()) p.mutable_grad() = torch::Tensor();
    net.forward(rankInput(comm.rank())).pow(2).mean().backward();
    sync.finish();
    // The layer backward never reaches keeps no gradient, as it would with one rank.
    EXPECT_FALSE(net.unused->weight.grad().defined());
    EXPECT_FALSE(net.unused->bias.grad().defined());
    const auto params = net.parameters();
    for (size_t i = 0; i < params.size(); ++i) {
      if (!params[i].grad().defined()) continue;
      EXPECT_TRUE(torch::allclose(params[i].grad(), expected[i], 1e-5, 1e-6))
          << "parameter " << i << " bucket_mb " << bucket_mb << " overlap " << overlap << " step "
          << step;
    }
  }
}

TEST(GradientSync, OneBucketEqualsTheMeanOverRanks) { expectMeanGradients(25, false); }
TEST(GradientSync, ManySmallBucketsEqualTheMean) {
  // 200 bytes: most parameters get a bucket of their own.
  expectMeanGradients(200.0 / (1024 * 1024), false);
}
TEST(GradientSync, OverlappedBucketsEqualTheMean) {
  expectMeanGradients(200.0 / (1024 * 1024), true);
}

TEST(GradientSync, BucketsFollowReverseParameterOrder) {
  MpiCommunicator comm(world());
  Net net;
  // Reversed: unused 4 + 16, b.bias 4, b.weight 128, a.bias 32, a.weight 512 floats. With
  // 700 bytes per bucket: 24 floats + 128 (608 B); a.bias would overflow the next; a.weight alone.
  GradientSync sync(comm, net.parameters(), {700.0 / (1024 * 1024), false});
  EXPECT_EQ(sync.bucketSizes(), (std::vector<int64_t>{4 + 16 + 4 + 128, 32, 512}));
}

TEST(ModuleSync, BroadcastAndBufferAveraging) {
  MpiCommunicator comm(world());
  const int n = comm.size();
  torch::manual_seed(1000 + comm.rank());  // different weights on every rank
  torch::nn::BatchNorm1d bn(3);
  torch::nn::Linear fc(3, 2);
  broadcastModule(comm, *fc);
  torch::Tensor w = fc->weight.detach().clone();
  comm.allreduceSum(w);
  EXPECT_TRUE(torch::allclose(w / n, fc->weight)) << "weights differ after broadcast";

  {
    torch::NoGradGuard no_grad;
    bn->running_mean.fill_(static_cast<float>(comm.rank()));
    bn->running_var.fill_(static_cast<float>(2 * comm.rank() + 1));
  }
  averageBuffers(comm, *bn);
  EXPECT_TRUE(torch::allclose(bn->running_mean, torch::full({3}, (n - 1) / 2.0f)));
  EXPECT_TRUE(torch::allclose(bn->running_var, torch::full({3}, static_cast<float>(n))));
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 0);
}

// GPU paths: compiled in every build, run where a GPU is (the device script). NCCL's are in
// nccl_communicator_test.cpp, compiled into NCCL builds.
TEST(GpuCommunicators, MpiStagingSumsCudaTensors) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA GPU here";
  const int n = world().size(), r = world().rank();
  const int gpus = static_cast<int>(torch::cuda::device_count());
  const torch::Device device(torch::kCUDA,
                             static_cast<c10::DeviceIndex>(world().localRank() % gpus));
  MpiCommunicator mpi(world());
  torch::Tensor staged = torch::full({1000}, static_cast<float>(r + 1), device);
  mpi.allreduceSum(staged);
  EXPECT_TRUE(torch::equal(staged.cpu(), torch::full({1000}, static_cast<float>(n * (n + 1) / 2))));
}

}  // namespace
}  // namespace au::distributed
