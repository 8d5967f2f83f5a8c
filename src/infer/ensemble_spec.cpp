#include "infer/ensemble_spec.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/checksum.h"

namespace au::infer {
namespace {
constexpr const char* kFormat = "au-ensemble ensemble spec";
constexpr int kVersion = 1;
}  // namespace

std::vector<SpecMember> SpecCheckpoint::models() const {
  return members.empty() ? std::vector<SpecMember>{{checkpoint, config, crc32c}} : members;
}

void writeSpec(const std::string& path, const EnsembleSpec& spec) {
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["fill"] = spec.fill;
  j["validation"] = {{"mean_f1", spec.validation_mean_f1},
                     {"mean_f1_our", spec.validation_mean_f1_our}};
  // Only when measured: a spec tuned without cross-validation stays byte for byte as before.
  if (spec.cv_folds > 0) {
    j["validation"]["cv_folds"] = spec.cv_folds;
    j["validation"]["mean_f1_cv"] = spec.validation_mean_f1_cv;
    j["validation"]["mean_f1_our_cv"] = spec.validation_mean_f1_our_cv;
  }
  j["checkpoints"] = nlohmann::ordered_json::array();
  for (const auto& c : spec.checkpoints) {
    // A single model is written as before members existed, so older au_infer builds read it.
    // (crc32c only when recorded: specs written without it stay byte for byte as before.)
    if (c.members.empty()) {
      nlohmann::ordered_json entry{
          {"name", c.name}, {"checkpoint", c.checkpoint}, {"config", c.config}};
      if (!c.crc32c.empty()) entry["crc32c"] = c.crc32c;
      j["checkpoints"].push_back(entry);
      continue;
    }
    auto members = nlohmann::ordered_json::array();
    for (const auto& m : c.members) {
      members.push_back({{"checkpoint", m.checkpoint}, {"config", m.config}});
      if (!m.crc32c.empty()) members.back()["crc32c"] = m.crc32c;
    }
    j["checkpoints"].push_back({{"name", c.name}, {"members", members}});
  }
  j["aus"] = nlohmann::ordered_json::array();
  for (int a = 0; a < io::kNumAus; ++a) {
    const auto& c = spec.aus[a];
    j["aus"].push_back({{"au", io::kAuNames[a]},
                        {"checkpoint", spec.checkpoints.at(static_cast<size_t>(c.checkpoint)).name},
                        {"threshold", c.threshold},
                        {"window", c.window}});
  }
  writeFileAtomic(path, j.dump(1) + "\n");
}

void recordChecksums(EnsembleSpec& spec) {
  for (auto& c : spec.checkpoints) {
    if (!c.checkpoint.empty()) c.crc32c = io::hex32(io::crc32cOfFile(c.checkpoint));
    for (auto& m : c.members) m.crc32c = io::hex32(io::crc32cOfFile(m.checkpoint));
  }
}

void verifyChecksums(const EnsembleSpec& spec, const std::string& spec_path) {
  std::string changed;
  for (const auto& c : spec.checkpoints)
    for (const auto& m : c.models()) {
      if (m.crc32c.empty()) continue;
      const std::string now = io::hex32(io::crc32cOfFile(m.checkpoint));
      if (now != m.crc32c)
        changed += "\n  " + m.checkpoint + ": crc32c " + now + ", the spec records " + m.crc32c;
    }
  if (!changed.empty())
    throw DataError(spec_path, 0,
                    "checkpoints changed since au_select chose them (a run trained again, or a "
                    "damaged copy); run au_select again:" +
                        changed);
}

EnsembleSpec readSpec(const std::string& path) {
  const std::string text = readInputFile(path, "the ensemble spec (au_select writes it)");
  EnsembleSpec spec;
  try {
    const auto j = nlohmann::json::parse(text);
    if (j.value("format", "") != kFormat)
      throw DataError(path, 0, "not an au-ensemble ensemble spec");
    if (j.at("version").get<int>() != kVersion)
      throw DataError(
          path, 0,
          "spec version " + std::to_string(j.at("version").get<int>()) + " is not supported");
    spec.fill = j.at("fill").get<std::string>();
    const auto& validation = j.at("validation");
    spec.validation_mean_f1 = validation.at("mean_f1").get<double>();
    spec.validation_mean_f1_our = validation.at("mean_f1_our").get<double>();
    if (validation.contains("cv_folds")) {
      spec.cv_folds = validation.at("cv_folds").get<int>();
      spec.validation_mean_f1_cv = validation.at("mean_f1_cv").get<double>();
      spec.validation_mean_f1_our_cv = validation.at("mean_f1_our_cv").get<double>();
    }
    for (const auto& c : j.at("checkpoints")) {
      SpecCheckpoint entry{c.at("name").get<std::string>(), "", "", {}, ""};
      if (c.contains("members")) {
        for (const auto& m : c.at("members"))
          entry.members.push_back({m.at("checkpoint").get<std::string>(), m.value("config", ""),
                                   m.value("crc32c", "")});
        if (entry.members.empty())
          throw DataError(path, 0, "checkpoint '" + entry.name + "' has no members");
      } else {
        entry.checkpoint = c.at("checkpoint").get<std::string>();
        entry.config = c.value("config", "");
        entry.crc32c = c.value("crc32c", "");
      }
      spec.checkpoints.push_back(std::move(entry));
    }
    const auto& aus = j.at("aus");
    if (aus.size() != static_cast<size_t>(io::kNumAus))
      throw DataError(path, 0, "expected 12 AU entries, found " + std::to_string(aus.size()));
    for (int a = 0; a < io::kNumAus; ++a) {
      const auto& e = aus[static_cast<size_t>(a)];
      if (e.at("au").get<std::string>() != io::kAuNames[a])
        throw DataError(path, 0,
                        "AU entry " + std::to_string(a + 1) + " is " +
                            e.at("au").get<std::string>() + ", expected " + io::kAuNames[a]);
      const std::string name = e.at("checkpoint").get<std::string>();
      int index = -1;
      for (size_t c = 0; c < spec.checkpoints.size(); ++c)
        if (spec.checkpoints[c].name == name) index = static_cast<int>(c);
      if (index < 0)
        throw DataError(path, 0, io::kAuNames[a] + " names checkpoint '" + name + "', not listed");
      spec.aus[a] = {index, e.at("threshold").get<float>(), e.at("window").get<int>()};
      if (spec.aus[a].window < 1 || spec.aus[a].window % 2 == 0)
        throw DataError(path, 0, io::kAuNames[a] + ": window must be odd and positive");
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path, 0, std::string("not a valid ensemble spec: ") + e.what());
  }
  std::string missing;
  for (const auto& c : spec.checkpoints)
    for (const auto& m : c.models())
      for (const auto& file : {m.checkpoint, m.config})
        if (!file.empty() && !std::filesystem::exists(file))
          missing += (missing.empty() ? "" : ", ") + file;
  if (!missing.empty()) throw DataError(path, 0, "names files that do not exist: " + missing);
  return spec;
}

}  // namespace au::infer
