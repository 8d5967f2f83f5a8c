#include "train/checkpoint.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::train {
namespace {

constexpr const char* kFormat = "au-ensemble checkpoint";

torch::serialize::InputArchive openArchive(const std::string& path, const torch::Device& device = torch::kCPU) {
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path, device);
  } catch (const c10::Error& e) {
    throw DataError(path, 0, std::string("not a readable checkpoint: ") + e.what_without_backtrace());
  }
  c10::IValue format;
  if (!archive.try_read("format", format) || !format.isString() || format.toStringRef() != kFormat)
    throw DataError(path, 0, "not an au-ensemble checkpoint");
  c10::IValue version;
  archive.read("version", version);
  if (version.toInt() != kCheckpointVersion)
    throw DataError(path, 0, "checkpoint version " + std::to_string(version.toInt()) +
                                 " is not supported (this build reads version " +
                                 std::to_string(kCheckpointVersion) + ")");
  return archive;
}

std::string readString(torch::serialize::InputArchive& archive, const char* key) {
  c10::IValue value;
  archive.read(key, value);
  return value.toStringRef();
}

int64_t readInt(torch::serialize::InputArchive& archive, const char* key) {
  c10::IValue value;
  archive.read(key, value);
  return value.toInt();
}

}  // namespace

void saveCheckpoint(const std::string& path, model::AuNet& net, torch::optim::Optimizer* optimizer,
                    const TrainingState& state) {
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string(kFormat)));
  archive.write("version", c10::IValue(kCheckpointVersion));
  archive.write("model_fingerprint", c10::IValue(net->options().fingerprint()));
  torch::serialize::OutputArchive model_archive;
  net->save(model_archive);
  archive.write("model", model_archive);
  archive.write("has_optimizer", c10::IValue(optimizer != nullptr));
  if (optimizer) {
    torch::serialize::OutputArchive optimizer_archive;
    optimizer->save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
  }
  archive.write("epoch", c10::IValue(state.epoch));
  archive.write("step", c10::IValue(state.step));
  archive.write("sampler_position", c10::IValue(state.sampler_position));
  archive.write("seed", c10::IValue(state.seed));
  archive.write("best_metric", c10::IValue(state.best_metric));
  archive.write("extra", c10::IValue(state.extra));
  std::ostringstream bytes;
  archive.save_to(bytes);
  writeFileAtomic(path, bytes.str());
}

std::string checkpointModelFingerprint(const std::string& path) {
  auto archive = openArchive(path);
  return readString(archive, "model_fingerprint");
}

TrainingState loadCheckpoint(const std::string& path, model::AuNet& net, torch::optim::Optimizer* optimizer,
                             const torch::Device& device) {
  auto archive = openArchive(path, device);
  const std::string saved = readString(archive, "model_fingerprint");
  const std::string wanted = net->options().fingerprint();
  if (saved != wanted)
    throw DataError(path, 0, "was made by another model configuration: checkpoint has '" + saved +
                                 "', this run has '" + wanted + "'");
  torch::serialize::InputArchive model_archive;
  archive.read("model", model_archive);
  net->load(model_archive);
  c10::IValue has_optimizer;
  archive.read("has_optimizer", has_optimizer);
  if (optimizer && has_optimizer.toBool()) {
    torch::serialize::InputArchive optimizer_archive;
    archive.read("optimizer", optimizer_archive);
    optimizer->load(optimizer_archive);
  }
  TrainingState state;
  state.epoch = readInt(archive, "epoch");
  state.step = readInt(archive, "step");
  state.sampler_position = readInt(archive, "sampler_position");
  state.seed = readInt(archive, "seed");
  c10::IValue best;
  archive.read("best_metric", best);
  state.best_metric = best.toDouble();
  state.extra = readString(archive, "extra");
  return state;
}

}  // namespace au::train
