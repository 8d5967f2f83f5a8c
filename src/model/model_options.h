// Options of the AU model: the backbone depth and every component of the paper's ablation
// (Table 2) as a switch, so each row can be configured.
#pragma once

#include <string>

namespace au {
class OptionSet;
}

namespace au::model {

struct ModelOptions {
  int depth = 100;  ///< IResNet 18, 34, 50, 100 or 200
  /// Channels of the first backbone stage (x2 per stage). 64 is insightface's (and what
  /// pretrained weights need); smaller widths make CPU tests and demos quick.
  int width = 64;
  bool fpn = true;     ///< FPN over stages 2-4 (off: the backbone's own 512-d head)
  bool ssh = true;     ///< SSH module on each FPN level (needs fpn)
  int fpn_width = 64;  ///< channels of every FPN/SSH level (multiple of 4)
  /// Each level is average-pooled to this size before flattening (0: flatten at 28/14/7):
  /// 7 keeps the fusion FC at 3*49*width*512 parameters (4.8M at width 64) instead of 33.7M.
  int fusion_pool = 7;
  int coord_att_shallow = 1;  ///< Coordinate Attention after this stage (1-4; 0: none)
  int coord_att_deep = 4;     ///< a second Coordinate Attention after this stage (0: none)
  double dropout = 0.6;       ///< before the AU head
  int num_features = 512;     ///< the fused feature
  int num_aus = 12;
  /// Also feed the frame's difference from its video's reference face (the per-pixel median of
  /// frames of the same video): 6 input channels. What stays of a person's look in every frame
  /// cancels out, so the model sees the expression, as person-specific normalisation does in
  /// OpenFace. Off in the paper's recipe.
  bool video_reference = false;

  /// The options as a stable text ("depth=100 fpn=1 ..."): checkpoints compare it.
  std::string fingerprint() const;
  /// Every option as a JSON object (checkpoints store it).
  std::string toJson() const;
  /// Options from toJson()'s text; absent keys keep their defaults. Throws UsageError for
  /// malformed text, an unknown key or an impossible combination.
  static ModelOptions fromJson(const std::string& json);
  /// Options from a fingerprint() (dropout, which it leaves out, keeps its default). Throws
  /// UsageError as fromJson does.
  static ModelOptions fromFingerprint(const std::string& fingerprint);
  /// Throws UsageError for an impossible combination.
  void validate() const;
};

void describe(OptionSet& options, ModelOptions& model);

}  // namespace au::model
