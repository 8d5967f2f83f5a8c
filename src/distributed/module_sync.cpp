#include "distributed/module_sync.h"

#include <torch/torch.h>

namespace au::distributed {
namespace {

std::vector<torch::Tensor> stateTensors(torch::nn::Module& module) {
  std::vector<torch::Tensor> all = module.parameters();
  for (auto& b : module.buffers()) all.push_back(b);
  return all;
}

}  // namespace

void broadcastModule(Communicator& comm, torch::nn::Module& module, int root) {
  if (comm.size() == 1) return;
  torch::NoGradGuard no_grad;
  for (auto& t : stateTensors(module)) {
    if (t.is_contiguous()) {
      comm.broadcast(t, root);
    } else {  // e.g. channels_last weights
      torch::Tensor flat = t.contiguous();
      comm.broadcast(flat, root);
      t.copy_(flat);
    }
  }
}

void averageBuffers(Communicator& comm, torch::nn::Module& module) {
  if (comm.size() == 1) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> floats;
  for (auto& b : module.buffers())
    if (b.is_floating_point()) floats.push_back(b);
  if (floats.empty()) return;
  std::vector<torch::Tensor> flat_parts;
  for (auto& b : floats) flat_parts.push_back(b.reshape(-1).to(torch::kFloat32));
  torch::Tensor flat = torch::cat(flat_parts);
  comm.allreduceSum(flat);
  flat.div_(comm.size());
  int64_t offset = 0;
  for (auto& b : floats) {
    b.copy_(flat.narrow(0, offset, b.numel()).view(b.sizes()));
    offset += b.numel();
  }
}

}  // namespace au::distributed
