#include "distributed/device_choice.h"

#include <torch/cuda.h>

#include <vector>

#include "common/error.h"

namespace au::distributed {

torch::Device chooseDevice(const std::string& wanted, const mpi::ProcessGroup& group,
                           const std::string& option) {
  if (wanted != "auto" && wanted != "cpu" && wanted != "cuda")
    AU_THROW(UsageError, "--", option, " must be auto, cpu or cuda, not '", wanted, "'");
  const int64_t local = torch::cuda::is_available() ? 1 : 0;
  std::vector<int64_t> seen{local, -local};  // max and -min over ranks
  group.allreduceMax(seen);
  if (wanted != "cpu" && seen[0] != -seen[1])
    AU_THROW(UsageError, "some ranks see a CUDA GPU and some do not; run on alike nodes or pass --",
             option, " cpu");
  const bool have_gpu = local == 1;
  if (wanted == "cuda" && !have_gpu)
    AU_THROW(UsageError, "--", option, " cuda, but no CUDA GPU is visible");
  if (wanted == "cpu" || !have_gpu) return torch::Device(torch::kCPU);
  const int count = static_cast<int>(torch::cuda::device_count());
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(group.localRank() % count));
}

}  // namespace au::distributed
