#include "model/model_options.h"

#include <sstream>

#include "common/error.h"
#include "common/options.h"

namespace au::model {

std::string ModelOptions::fingerprint() const {
  std::ostringstream out;
  out << "depth=" << depth;
  if (width != 64) out << " width=" << width;  // older fingerprints stay valid
  out << " fpn=" << fpn << " ssh=" << ssh << " fpn_width=" << fpn_width
      << " fusion_pool=" << fusion_pool << " coord_att_shallow=" << coord_att_shallow
      << " coord_att_deep=" << coord_att_deep << " num_features=" << num_features
      << " num_aus=" << num_aus;
  if (video_reference) out << " video_reference=1";
  return out.str();  // dropout is left out: it changes no tensor shape
}

void ModelOptions::validate() const {
  if (depth != 18 && depth != 34 && depth != 50 && depth != 100 && depth != 200)
    AU_THROW(UsageError, "--model.depth must be 18, 34, 50, 100 or 200, not ", depth);
  if (width < 4 || width % 4 != 0)
    AU_THROW(UsageError, "--model.width must be a positive multiple of 4, not ", width);
  if (ssh && !fpn) AU_THROW(UsageError, "--model.ssh needs --model.fpn");
  if (fpn && (fpn_width < 4 || fpn_width % 4 != 0))
    AU_THROW(UsageError, "--model.fpn_width must be a positive multiple of 4, not ", fpn_width);
  if (fusion_pool < 0 || fusion_pool > 28) AU_THROW(UsageError, "--model.fusion_pool must be 0..28");
  for (int stage : {coord_att_shallow, coord_att_deep})
    if (stage < 0 || stage > 4) AU_THROW(UsageError, "coordinate attention stages must be 0..4");
  if (coord_att_shallow != 0 && coord_att_shallow == coord_att_deep)
    AU_THROW(UsageError, "the two coordinate attention modules need different stages");
  if (dropout < 0 || dropout >= 1) AU_THROW(UsageError, "--model.dropout must be in [0, 1)");
  if (num_features < 1 || num_aus < 1) AU_THROW(UsageError, "feature and AU counts must be positive");
}

void describe(OptionSet& options, ModelOptions& m) {
  options.add("model.depth", &m.depth, "IResNet depth: 18, 34, 50, 100 or 200");
  options.add("model.width", &m.width,
              "channels of the first backbone stage, doubled per stage (64: insightface, "
              "needed for pretrained weights; 16: a quick CPU model)");
  options.add("model.fpn", &m.fpn, "FPN over backbone stages 2-4 (false: the backbone's own head)");
  options.add("model.ssh", &m.ssh, "SSH context module on each FPN level");
  options.add("model.fpn_width", &m.fpn_width, "channels of the FPN and SSH levels");
  options.add("model.fusion_pool", &m.fusion_pool,
              "average-pool each level to this size before flattening (0: no pooling)");
  options.add("model.coord_att_shallow", &m.coord_att_shallow,
              "stage (1-4) after which the shallow coordinate attention sits (0: none)");
  options.add("model.coord_att_deep", &m.coord_att_deep,
              "stage (1-4) after which the deep coordinate attention sits (0: none)");
  options.add("model.dropout", &m.dropout, "dropout before the AU head (paper: 0.6)");
  options.add("model.num_features", &m.num_features, "size of the fused feature");
  options.add("model.num_aus", &m.num_aus, "number of AU logits");
  options.add("model.video_reference", &m.video_reference,
              "also feed each frame's difference from its video's reference face (per-pixel median of up to "
              "256 of the video's frames): 6 input channels, the person's identity cancels out");
  options.addCheck([&m] { m.validate(); });
}

}  // namespace au::model
