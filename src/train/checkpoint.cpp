#include "train/checkpoint.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <sstream>

#include "common/atomic_file.h"
#include "model/model_checkpoint.h"

namespace au::train {
namespace {

int64_t readInt(torch::serialize::InputArchive& archive, const char* key) {
  c10::IValue value;
  archive.read(key, value);
  return value.toInt();
}

}  // namespace

void saveCheckpoint(const std::string& path, model::AuNet& net, torch::optim::Optimizer* optimizer,
                    const TrainingState& state) {
  torch::serialize::OutputArchive archive;
  model::writeModel(archive, net);
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

TrainingState loadCheckpoint(const std::string& path, model::AuNet& net,
                             torch::optim::Optimizer* optimizer, const torch::Device& device) {
  auto archive = model::openCheckpoint(path, device);
  model::readModel(archive, path, net);
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
  c10::IValue extra;
  archive.read("extra", extra);
  state.extra = extra.toStringRef();
  return state;
}

}  // namespace au::train
