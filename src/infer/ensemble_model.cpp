#include "infer/ensemble_model.h"

#include <torch/torch.h>

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
  std::vector<model::AuNet> nets;  // index = spec checkpoint index
};

EnsembleModel::EnsembleModel(const EnsembleSpec& spec, const torch::Device& device, bool autocast, torch::Dtype dtype)
    : impl_(std::make_unique<Impl>()) {
  impl_->spec = spec;
  impl_->device = device;
  impl_->autocast = autocast;
  impl_->dtype = dtype;
  for (const auto& c : spec.checkpoints) {
    model::AuNet net(modelOptionsOf(c.config));
    train::loadCheckpoint(c.checkpoint, net, nullptr, torch::kCPU);
    net->to(device);
    net->eval();
    if (device.is_cuda()) model::toChannelsLast(*net);
    impl_->nets.push_back(net);
  }
}

EnsembleModel::~EnsembleModel() = default;
int EnsembleModel::numModels() const { return static_cast<int>(impl_->nets.size()); }

std::vector<FrameProbabilities> EnsembleModel::predict(const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = data::normaliseImages(images.to(impl_->device, /*non_blocking=*/true));
  if (impl_->device.is_cuda()) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  std::vector<torch::Tensor> probs;
  {
    std::optional<model::AutocastScope> scope;
    if (impl_->autocast) scope.emplace(impl_->device.type(), impl_->dtype);
    for (auto& net : impl_->nets) probs.push_back(torch::sigmoid(net->forward(x).to(torch::kFloat32)).cpu().contiguous());
  }
  const auto n = static_cast<size_t>(images.size(0));
  std::vector<FrameProbabilities> out(n);
  for (int a = 0; a < io::kNumAus; ++a) {
    const float* p = probs[static_cast<size_t>(impl_->spec.aus[a].checkpoint)].data_ptr<float>();
    for (size_t i = 0; i < n; ++i) out[i][a] = p[i * io::kNumAus + static_cast<size_t>(a)];
  }
  return out;
}

}  // namespace au::infer
