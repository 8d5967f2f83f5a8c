#include "model/au_net.h"

#include <torch/nn/functional/pooling.h>
#include <torch/torch.h>

#include "common/error.h"

namespace au::model {
namespace nn = torch::nn;

AuNetImpl::AuNetImpl(const ModelOptions& options) : options_(options) {
  options_.validate();
  // Without FPN the backbone's own face-recognition head gives the 512-d feature (so glint
  // initialisation keeps its fc); with FPN that head is not built at all.
  backbone_ = register_module("backbone", IResNet(options.depth, !options.fpn, options.num_features,
                                                  options.width, options.video_reference ? 6 : 3));
  const auto channels = stageChannels(options.width);
  if (options.coord_att_shallow > 0)
    ca_shallow_ = register_module("ca_shallow", CoordAtt(channels[options.coord_att_shallow - 1]));
  if (options.coord_att_deep > 0)
    ca_deep_ = register_module("ca_deep", CoordAtt(channels[options.coord_att_deep - 1]));
  if (options.fpn) {
    const int64_t w = options.fpn_width;
    fpn_ = register_module("fpn",
                           Fpn(std::array<int64_t, 3>{channels[1], channels[2], channels[3]}, w));
    if (options.ssh)
      for (size_t i = 0; i < 3; ++i)
        ssh_[i] = register_module("ssh" + std::to_string(i + 1), Ssh(w, w));
    int64_t flat = 0;
    for (size_t level = 1; level < 4; ++level) {
      const int64_t side = options.fusion_pool > 0
                               ? std::min<int64_t>(options.fusion_pool, kStageSizes[level])
                               : kStageSizes[level];
      flat += w * side * side;
    }
    fusion_fc_ = register_module("fusion_fc", nn::Linear(flat, options.num_features));
    fusion_bn_ = register_module("fusion_bn", nn::BatchNorm1d(options.num_features));
  }
  dropout_ = register_module("dropout", nn::Dropout(nn::DropoutOptions(options.dropout)));
  au_head_ = register_module("au_head", nn::Linear(options.num_features, options.num_aus));
}

torch::Tensor AuNetImpl::input(const torch::Tensor& frames, const torch::Tensor& references) const {
  if (!options_.video_reference) return frames;
  AU_CHECK(references.defined() && references.sizes() == frames.sizes(),
           "a model with model.video_reference needs one reference face per frame: frames ",
           frames.sizes(), ", references ",
           references.defined() ? references.sizes() : torch::IntArrayRef{});
  return torch::cat({frames, frames - references}, 1);
}

void AuNetImpl::adaptBackboneWeights(TensorMap& weights) const {
  const auto it = weights.find("conv1.weight");
  if (!options_.video_reference || it == weights.end() || it->second.dim() != 4 ||
      it->second.size(1) != 3)
    return;
  it->second = torch::cat({it->second, torch::zeros_like(it->second)}, 1);
}

int64_t AuNetImpl::fusionParameters() const {
  return fusion_fc_.is_empty() ? 0 : fusion_fc_->weight.numel() + fusion_fc_->bias.numel();
}

torch::Tensor AuNetImpl::features(const torch::Tensor& x, Trace* trace) {
  auto note = [trace](const std::string& name, const torch::Tensor& t) {
    if (trace) trace->emplace_back(name, t);
  };
  const auto stages = backbone_->stages(x, [&](int stage, torch::Tensor h) {
    note("backbone.layer" + std::to_string(stage), h);
    if (stage == options_.coord_att_shallow) {
      h = ca_shallow_(h);
      note("ca_shallow", h);
    } else if (stage == options_.coord_att_deep) {
      h = ca_deep_(h);
      note("ca_deep", h);
    }
    return h;
  });
  if (!options_.fpn) {
    torch::Tensor f = backbone_->head(stages[3]);
    note("backbone.features", f);
    return f;
  }
  auto levels = fpn_->forward({stages[1], stages[2], stages[3]});
  std::vector<torch::Tensor> flat;
  for (size_t i = 0; i < 3; ++i) {
    note("fpn.level" + std::to_string(i + 1), levels[i]);
    torch::Tensor level = options_.ssh ? ssh_[i]->forward(levels[i]) : levels[i];
    if (options_.ssh) note("ssh" + std::to_string(i + 1), level);
    if (options_.fusion_pool > 0 && level.size(2) > options_.fusion_pool) {
      level = nn::functional::adaptive_avg_pool2d(
          level, nn::functional::AdaptiveAvgPool2dFuncOptions(
                     {options_.fusion_pool, options_.fusion_pool}));
    }
    flat.push_back(torch::flatten(level, 1));
  }
  torch::Tensor fused = torch::cat(flat, 1);
  note("fusion.input", fused);
  fused = fusion_.defined() ? fusion_(fused) : fusion_bn_(fusion_fc_(fused));
  note("fusion", fused);
  return fused;
}

void AuNetImpl::foldBatchNorm() {
  AU_CHECK(!is_training(), "BatchNorm folding is for inference: call eval() first");
  if (folded_) return;
  backbone_->foldBatchNorm();
  if (!ca_shallow_.is_empty()) ca_shallow_->foldBatchNorm();
  if (!ca_deep_.is_empty()) ca_deep_->foldBatchNorm();
  if (!fpn_.is_empty()) {
    fpn_->foldBatchNorm();
    for (auto& ssh : ssh_)
      if (!ssh.is_empty()) ssh->foldBatchNorm();
    fusion_ = FoldedLinear(fusion_fc_, fusion_bn_);
  }
  folded_ = true;
}

namespace {
void refuseMoveWhenFolded(bool folded) {
  if (folded)
    throw UsageError(
        "the model's BatchNorms are folded: move it (to()) before foldBatchNorm(), not after");
}
}  // namespace

void AuNetImpl::to(torch::Device device, torch::Dtype dtype, bool non_blocking) {
  refuseMoveWhenFolded(folded_);
  Module::to(device, dtype, non_blocking);
}
void AuNetImpl::to(torch::Dtype dtype, bool non_blocking) {
  refuseMoveWhenFolded(folded_);
  Module::to(dtype, non_blocking);
}
void AuNetImpl::to(torch::Device device, bool non_blocking) {
  refuseMoveWhenFolded(folded_);
  Module::to(device, non_blocking);
}

torch::Tensor AuNetImpl::forward(const torch::Tensor& x, Trace* trace) {
  requireEvalWhenFolded(*this, folded_);
  torch::Tensor logits = au_head_(dropout_(features(x, trace)));
  if (trace) trace->emplace_back("au_head", logits);
  return logits;
}

}  // namespace au::model
