#include "model/model_options.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "common/error.h"
#include "common/options.h"

namespace au::model {
namespace {

// Sets one option from its text ("100", "1", "true", "0.6"): what fingerprints and the JSON
// values of toJson() hold.
void setOption(ModelOptions& m, const std::string& key, const std::string& value) {
  auto integer = [&](int& field) {
    size_t used = 0;
    try {
      field = std::stoi(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value.size())
      AU_THROW(UsageError, "model option ", key, ": '", value, "' is not an integer");
  };
  auto flag = [&](bool& field) {
    if (value != "0" && value != "1" && value != "false" && value != "true")
      AU_THROW(UsageError, "model option ", key, ": '", value, "' is not a boolean");
    field = value == "1" || value == "true";
  };
  if (key == "depth") return integer(m.depth);
  if (key == "width") return integer(m.width);
  if (key == "fpn") return flag(m.fpn);
  if (key == "ssh") return flag(m.ssh);
  if (key == "fpn_width") return integer(m.fpn_width);
  if (key == "fusion_pool") return integer(m.fusion_pool);
  if (key == "coord_att_shallow") return integer(m.coord_att_shallow);
  if (key == "coord_att_deep") return integer(m.coord_att_deep);
  if (key == "num_features") return integer(m.num_features);
  if (key == "num_aus") return integer(m.num_aus);
  if (key == "video_reference") return flag(m.video_reference);
  if (key == "dropout") {
    try {
      m.dropout = std::stod(value);
      return;
    } catch (const std::exception&) {
      AU_THROW(UsageError, "model option dropout: '", value, "' is not a number");
    }
  }
  AU_THROW(UsageError, "unknown model option '", key, "'");
}

}  // namespace

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

std::string ModelOptions::toJson() const {
  const nlohmann::json j = {{"depth", depth},
                            {"width", width},
                            {"fpn", fpn},
                            {"ssh", ssh},
                            {"fpn_width", fpn_width},
                            {"fusion_pool", fusion_pool},
                            {"coord_att_shallow", coord_att_shallow},
                            {"coord_att_deep", coord_att_deep},
                            {"dropout", dropout},
                            {"num_features", num_features},
                            {"num_aus", num_aus},
                            {"video_reference", video_reference}};
  return j.dump();
}

ModelOptions ModelOptions::fromJson(const std::string& json) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) AU_THROW(UsageError, "model options are not a JSON object: ", json);
  ModelOptions m;
  for (const auto& [key, value] : j.items())
    setOption(m, key, value.is_string() ? value.get<std::string>() : value.dump());
  m.validate();
  return m;
}

ModelOptions ModelOptions::fromFingerprint(const std::string& fingerprint) {
  ModelOptions m;
  std::istringstream in(fingerprint);
  std::string token;
  while (in >> token) {
    const size_t eq = token.find('=');
    if (eq == std::string::npos)
      AU_THROW(UsageError, "'", token, "' in the model fingerprint is not key=value");
    setOption(m, token.substr(0, eq), token.substr(eq + 1));
  }
  m.validate();
  return m;
}

void ModelOptions::validate() const {
  if (depth != 18 && depth != 34 && depth != 50 && depth != 100 && depth != 200)
    AU_THROW(UsageError, "--model.depth must be 18, 34, 50, 100 or 200, not ", depth);
  if (width < 4 || width % 4 != 0)
    AU_THROW(UsageError, "--model.width must be a positive multiple of 4, not ", width);
  if (ssh && !fpn) AU_THROW(UsageError, "--model.ssh needs --model.fpn");
  if (fpn && (fpn_width < 4 || fpn_width % 4 != 0))
    AU_THROW(UsageError, "--model.fpn_width must be a positive multiple of 4, not ", fpn_width);
  if (fusion_pool < 0 || fusion_pool > 28)
    AU_THROW(UsageError, "--model.fusion_pool must be 0..28");
  for (int stage : {coord_att_shallow, coord_att_deep})
    if (stage < 0 || stage > 4) AU_THROW(UsageError, "coordinate attention stages must be 0..4");
  if (coord_att_shallow != 0 && coord_att_shallow == coord_att_deep)
    AU_THROW(UsageError, "the two coordinate attention modules need different stages");
  if (dropout < 0 || dropout >= 1) AU_THROW(UsageError, "--model.dropout must be in [0, 1)");
  if (num_features < 1 || num_aus < 1)
    AU_THROW(UsageError, "feature and AU counts must be positive");
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
              "also feed each frame's difference from its video's reference face (per-pixel median "
              "of up to "
              "256 of the video's frames): 6 input channels, the person's identity cancels out");
  options.addCheck([&m] { m.validate(); });
}

}  // namespace au::model
