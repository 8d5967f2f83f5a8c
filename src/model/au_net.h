// The paper's AU model: IResNet backbone, Coordinate Attention at a shallow and a deep stage,
// FPN + SSH over stages 2-4 fused by one FC to a 512-d feature, dropout, 12 AU logits.
// Every component is a switch of ModelOptions (the ablation of the paper's Table 2).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <string>
#include <utility>
#include <vector>

#include "model/coord_att.h"
#include "model/fpn.h"
#include "model/iresnet.h"
#include "model/model_options.h"
#include "model/safetensors.h"

namespace au::model {

/// Named intermediate outputs, for summaries.
using Trace = std::vector<std::pair<std::string, torch::Tensor>>;

class AuNetImpl : public torch::nn::Module {
 public:
  explicit AuNetImpl(const ModelOptions& options);
  /// What forward() takes, from frames normalised to [-1, 1] (N x 3 x 112 x 112) and, when
  /// options().video_reference, each frame's video reference normalised alike (else pass an
  /// undefined tensor): the frames, or the frames and their differences from the references.
  torch::Tensor input(const torch::Tensor& frames, const torch::Tensor& references) const;
  /// Fits backbone weights made for RGB input (insightface's) to this model's stem: with
  /// video_reference the difference planes start at zero weight, so the model starts as the
  /// pretrained one. Other weights are left as they are.
  void adaptBackboneWeights(TensorMap& backbone_weights) const;
  /// input() (N x 3 or 6 x 112 x 112) -> N x num_aus logits. `trace`, if given, receives
  /// the main intermediate outputs.
  torch::Tensor forward(const torch::Tensor& x, Trace* trace = nullptr);
  /// The fused num_features-d feature (before dropout and the AU head).
  torch::Tensor features(const torch::Tensor& x, Trace* trace = nullptr);
  const ModelOptions& options() const { return options_; }
  /// Parameters of the fusion FC (0 without FPN), reported by summaries.
  int64_t fusionParameters() const;
  /// The backbone, whose state_dict keys are insightface's under the prefix "backbone.".
  IResNet& backbone() { return backbone_; }
  /// For inference (eval mode, after the last to()): every BatchNorm that follows a convolution
  /// or linear layer is folded into it (model/batchnorm_folding.h), so forward() runs about one
  /// elementwise pass fewer per BN and gives the same logits to float rounding. Parameters and
  /// state_dict are unchanged; the model refuses to train afterwards.
  void foldBatchNorm();
  bool batchNormFolded() const { return folded_; }
  /// As Module::to, but refused (UsageError) once the BatchNorms are folded: the folded tensors
  /// are not parameters and would stay behind.
  void to(torch::Device device, torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Device device, bool non_blocking = false) override;

 private:
  ModelOptions options_;
  IResNet backbone_{nullptr};
  CoordAtt ca_shallow_{nullptr}, ca_deep_{nullptr};
  Fpn fpn_{nullptr};
  std::array<Ssh, 3> ssh_{nullptr, nullptr, nullptr};
  torch::nn::Linear fusion_fc_{nullptr};
  torch::nn::BatchNorm1d fusion_bn_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear au_head_{nullptr};
  FoldedLinear fusion_;
  bool folded_ = false;
};
TORCH_MODULE(AuNet);

/// Output channels of each backbone stage for a first-stage width (insightface: 64).
constexpr std::array<int64_t, 4> stageChannels(int64_t width) {
  return {width, 2 * width, 4 * width, 8 * width};
}
/// Spatial size of each stage's output at 112x112 input.
constexpr std::array<int64_t, 4> kStageSizes = {56, 28, 14, 7};

}  // namespace au::model
