#include "dist/device_choice.h"

#include <ATen/Context.h>
#include <torch/cuda.h>

#include <vector>

#include "common/error.h"

namespace au::dist {

torch::Device chooseDevice(const std::string& wanted, const mpi::ProcessGroup& group, const std::string& option) {
  if (wanted != "auto" && wanted != "cpu" && wanted != "cuda")
    AU_THROW(UsageError, "--", option, " must be auto, cpu or cuda, not '", wanted, "'");
  const int64_t local = torch::cuda::is_available() ? 1 : 0;
  std::vector<int64_t> seen{local, -local};  // max and -min over ranks
  group.allreduceMax(seen);
  if (wanted != "cpu" && seen[0] != -seen[1])
    AU_THROW(UsageError, "some ranks see a CUDA GPU and some do not; run on alike nodes or pass --", option, " cpu");
  const bool have_gpu = local == 1;
  if (wanted == "cuda" && !have_gpu) AU_THROW(UsageError, "--", option, " cuda, but no CUDA GPU is visible");
  if (wanted == "cpu" || !have_gpu) return torch::Device(torch::kCPU);
  const int count = static_cast<int>(torch::cuda::device_count());
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(group.localRank() % count));
}

Precision choosePrecision(const std::string& wanted, const torch::Device& device, const std::string& option) {
  Precision p;
  p.name = wanted == "auto" ? (device.is_cuda() ? "bf16" : "fp32") : wanted;
  if (p.name != "fp32" && p.name != "bf16" && p.name != "fp16")
    AU_THROW(UsageError, "--", option, " must be auto, fp32, bf16 or fp16, not '", wanted, "'");
  if (p.name == "fp16" && !device.is_cuda()) AU_THROW(UsageError, "--", option, " fp16 needs a CUDA device");
  p.autocast = p.name != "fp32";
  p.dtype = p.name == "fp16" ? torch::kFloat16 : torch::kBFloat16;
  // fp32 asked for on a GPU means IEEE fp32: cuDNN would otherwise convolve in TF32 (10-bit
  // mantissa) by default. bf16 autocast is the fast path.
  if (device.is_cuda() && !p.autocast) {
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
  }
  return p;
}

}  // namespace au::dist
