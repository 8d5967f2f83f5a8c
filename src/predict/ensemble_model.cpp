#include "predict/ensemble_model.h"

#include <ATen/Context.h>
#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <optional>

#include "common/error.h"
#include "common/log.h"
#include "data/augment.h"
#include "io/shard_schema.h"
#include "model/au_net.h"
#include "model/graphed_step.h"
#include "model/model_checkpoint.h"
#include "model/precision.h"

namespace au::predict {

struct EnsembleModel::Impl {
  infer::EnsembleSpec spec;
  torch::Device device{torch::kCPU};
  bool autocast = false;
  torch::Dtype dtype = torch::kBFloat16;
  std::vector<model::AuNet> nets;  // each distinct model file once
  std::vector<std::vector<size_t>>
      entry_nets;  // per spec checkpoint, its members' indices into nets

  // predict()'s device work as CUDA graphs, one per captured batch size, on fixed buffers.
  struct GraphedBatch {
    torch::Tensor images, reference;   // uint8 inputs on the device
    std::vector<torch::Tensor> probs;  // each net's probabilities, float32 on the device
    std::unique_ptr<model::GraphedStep> graph;
  };
  int64_t graph_batch = 0;                 // 0: eager
  std::map<int64_t, GraphedBatch> graphs;  // by batch size

  // Each net's probabilities for frames and a reference already on the device.
  std::vector<torch::Tensor> probabilities(const torch::Tensor& images,
                                           const torch::Tensor& reference) {
    const torch::Tensor x = data::normaliseImages(images);
    torch::Tensor r;
    if (reference.defined())
      r = reference.dim() == 4 ? data::normaliseImages(reference)
                               : data::normaliseImages(reference.unsqueeze(0)).expand_as(x);
    std::optional<model::AutocastScope> scope;
    if (autocast) scope.emplace(device.type(), dtype);
    std::vector<torch::Tensor> probs;
    for (auto& net : nets) {
      torch::Tensor input = net->input(x, r);
      if (device.is_cuda()) input = input.contiguous(torch::MemoryFormat::ChannelsLast);
      probs.push_back(torch::sigmoid(net->forward(input).to(torch::kFloat32)));
    }
    return probs;
  }

  // The graph for n frames: the smallest captured batch size that holds them, or a new one.
  GraphedBatch& graphFor(int64_t n, bool with_reference) {
    const auto fits = graphs.lower_bound(n);
    if (fits != graphs.end()) return fits->second;
    const int64_t size = std::max(n, graph_batch);
    GraphedBatch& g = graphs[size];
    const auto bytes = torch::TensorOptions().dtype(torch::kUInt8).device(device);
    g.images = torch::zeros(
        {size, io::shard::kImageSize, io::shard::kImageSize, io::shard::kChannels}, bytes);
    if (with_reference)
      g.reference =
          torch::zeros({io::shard::kImageSize, io::shard::kImageSize, io::shard::kChannels}, bytes);
    g.graph = std::make_unique<model::GraphedStep>(
        [this, &g] { g.probs = probabilities(g.images, g.reference); }, device, 1);
    if (!g.graph->captured())
      log::warn("inference runs eagerly for batches of ", size, ": ", g.graph->whyEager());
    return g;
  }
};

EnsembleModel::EnsembleModel(const infer::EnsembleSpec& spec, const EnsembleSettings& settings)
    : impl_(std::make_unique<Impl>()) {
  const torch::Device& device = settings.device;
  impl_->spec = spec;
  impl_->graph_batch = device.is_cuda() ? settings.cuda_graph_batch : 0;
  // Graphs run fixed shapes: cuDNN may time its algorithms once per shape and keep the fastest.
  // (Eager batches vary at each video's end, and each new shape would be timed again.)
  if (impl_->graph_batch > 0) at::globalContext().setBenchmarkCuDNN(true);
  impl_->device = device;
  impl_->autocast = settings.precision.autocast;
  impl_->dtype = settings.precision.dtype;
  std::map<std::string, size_t> loaded;  // checkpoint file -> index into nets
  for (const auto& c : spec.checkpoints) {
    auto& members = impl_->entry_nets.emplace_back();
    for (const auto& m : c.models()) {
      const auto [at, fresh] = loaded.emplace(m.checkpoint, impl_->nets.size());
      members.push_back(at->second);
      if (!fresh) continue;
      model::AuNet net = model::loadModel(m.checkpoint);
      net->to(device);
      net->eval();
      if (device.is_cuda()) model::toChannelsLast(*net);
      if (settings.fold_batchnorm) net->foldBatchNorm();  // last: it copies the weights as they are
      impl_->nets.push_back(net);
    }
  }
}

EnsembleModel::~EnsembleModel() = default;
int EnsembleModel::numModels() const { return static_cast<int>(impl_->nets.size()); }

bool EnsembleModel::graphsCaptured() const {
  if (impl_->graphs.empty()) return false;
  for (const auto& [size, g] : impl_->graphs)
    if (!g.graph->captured()) return false;
  return true;
}

bool EnsembleModel::needsReference() const {
  for (const auto& net : impl_->nets)
    if (net->options().video_reference) return true;
  return false;
}

std::vector<infer::FrameProbabilities> EnsembleModel::predict(const torch::Tensor& images,
                                                              const torch::Tensor& reference) {
  torch::NoGradGuard no_grad;
  const int64_t frames = images.size(0);
  std::vector<torch::Tensor> probs;
  if (impl_->graph_batch > 0) {
    // Rows past `frames` of a larger captured batch keep old frames: each frame's result is its
    // own.
    AU_CHECK(reference.defined() || !needsReference(),
             "this ensemble needs each frame's video reference face");
    AU_CHECK(!reference.defined() || reference.dim() == 3,
             "CUDA graphs take one reference face per batch, not one per frame");
    Impl::GraphedBatch& g = impl_->graphFor(frames, needsReference());
    g.images.narrow(0, 0, frames).copy_(images, /*non_blocking=*/true);
    if (g.reference.defined()) g.reference.copy_(reference, /*non_blocking=*/true);
    g.graph->run();
    for (const auto& p : g.probs) probs.push_back(p.narrow(0, 0, frames).cpu().contiguous());
  } else {
    AU_CHECK(!reference.defined() || reference.dim() == 3 ||
                 (reference.dim() == 4 && reference.size(0) == frames),
             "a reference face for the batch (112 x 112 x 3) or one per frame (", frames,
             " x 112 x 112 x 3), not ", reference.sizes());
    const torch::Tensor on_device = images.to(impl_->device, /*non_blocking=*/true);
    const torch::Tensor reference_on_device =
        reference.defined() ? reference.to(impl_->device) : torch::Tensor();
    for (const auto& p : impl_->probabilities(on_device, reference_on_device))
      probs.push_back(p.cpu().contiguous());
  }
  const auto n = static_cast<size_t>(frames);
  std::vector<infer::FrameProbabilities> out(n);
  for (int a = 0; a < io::kNumAus; ++a) {
    std::vector<const float*> p;
    for (size_t m : impl_->entry_nets[static_cast<size_t>(impl_->spec.aus[a].checkpoint)])
      p.push_back(probs[m].data_ptr<float>());
    // A family's fold models act as one model: the mean of their probabilities, summed in member
    // order (deterministic); a single model's probabilities pass through unchanged.
    for (size_t i = 0; i < n; ++i) {
      const size_t at = i * io::kNumAus + static_cast<size_t>(a);
      if (p.size() == 1) {
        out[i][a] = p[0][at];
        continue;
      }
      double sum = 0;
      for (const float* q : p) sum += q[at];
      out[i][a] = static_cast<float>(sum / static_cast<double>(p.size()));
    }
  }
  return out;
}

}  // namespace au::predict
