#include "infer/ensemble_model.h"

#include <torch/torch.h>

#include <map>
#include <optional>

#include "common/error.h"
#include "common/options.h"
#include "data/augment.h"
#include "model/au_net.h"
#include "model/precision.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

namespace au::infer {
namespace {

// The [model] section of an au_train run's config.ini (the other sections are parsed and
// ignored, so the file is read exactly as au_train wrote it).
model::ModelOptions modelOptionsOf(const std::string& config) {
  train::TrainerConfig everything;
  OptionSet options("au_infer", "");
  train::describe(options, everything);
  const char* argv[] = {"au_infer", "--config", config.c_str()};
  try {
    options.parse(3, argv);
  } catch (const Error& e) {
    throw DataError(config, 0, std::string("not a usable au_train config.ini: ") + e.what());
  }
  return everything.model;
}

}  // namespace

struct EnsembleModel::Impl {
  EnsembleSpec spec;
  torch::Device device{torch::kCPU};
  bool autocast = false;
  torch::Dtype dtype = torch::kBFloat16;
  std::vector<model::AuNet> nets;                 // each distinct model file once
  std::vector<std::vector<size_t>> entry_nets;    // per spec checkpoint, its members' indices into nets
};

EnsembleModel::EnsembleModel(const EnsembleSpec& spec, const torch::Device& device, bool autocast, torch::Dtype dtype)
    : impl_(std::make_unique<Impl>()) {
  impl_->spec = spec;
  impl_->device = device;
  impl_->autocast = autocast;
  impl_->dtype = dtype;
  std::map<std::string, size_t> loaded;  // checkpoint file -> index into nets
  for (const auto& c : spec.checkpoints) {
    auto& members = impl_->entry_nets.emplace_back();
    for (const auto& m : c.models()) {
      const auto [at, fresh] = loaded.emplace(m.checkpoint, impl_->nets.size());
      members.push_back(at->second);
      if (!fresh) continue;
      model::AuNet net(modelOptionsOf(m.config));
      train::loadCheckpoint(m.checkpoint, net, nullptr, torch::kCPU);
      net->to(device);
      net->eval();
      if (device.is_cuda()) model::toChannelsLast(*net);
      impl_->nets.push_back(net);
    }
  }
}

EnsembleModel::~EnsembleModel() = default;
int EnsembleModel::numModels() const { return static_cast<int>(impl_->nets.size()); }

bool EnsembleModel::needsReference() const {
  for (const auto& net : impl_->nets)
    if (net->options().video_reference) return true;
  return false;
}

std::vector<FrameProbabilities> EnsembleModel::predict(const torch::Tensor& images, const torch::Tensor& reference) {
  torch::NoGradGuard no_grad;
  const torch::Tensor x = data::normaliseImages(images.to(impl_->device, /*non_blocking=*/true));
  torch::Tensor r;
  if (reference.defined())
    r = data::normaliseImages(reference.unsqueeze(0).to(impl_->device)).expand_as(x);
  std::vector<torch::Tensor> probs;
  {
    std::optional<model::AutocastScope> scope;
    if (impl_->autocast) scope.emplace(impl_->device.type(), impl_->dtype);
    for (auto& net : impl_->nets) {
      torch::Tensor input = net->input(x, r);
      if (impl_->device.is_cuda()) input = input.contiguous(torch::MemoryFormat::ChannelsLast);
      probs.push_back(torch::sigmoid(net->forward(input).to(torch::kFloat32)).cpu().contiguous());
    }
  }
  const auto n = static_cast<size_t>(images.size(0));
  std::vector<FrameProbabilities> out(n);
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

}  // namespace au::infer
