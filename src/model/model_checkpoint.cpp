#include "model/model_checkpoint.h"

#include "common/error.h"

namespace au::model {
namespace {

constexpr const char* kFormat = "au-ensemble checkpoint";

std::string readString(torch::serialize::InputArchive& archive, const char* key) {
  c10::IValue value;
  archive.read(key, value);
  return value.toStringRef();
}

ModelOptions optionsOf(torch::serialize::InputArchive& archive, const std::string& path) {
  c10::IValue stored;
  try {
    if (archive.try_read("model_options", stored))
      return ModelOptions::fromJson(stored.toStringRef());
    return ModelOptions::fromFingerprint(readString(archive, "model_fingerprint"));
  } catch (const UsageError& e) {
    throw DataError(path, 0, std::string("its model options are unusable: ") + e.what());
  }
}

}  // namespace

torch::serialize::InputArchive openCheckpoint(const std::string& path,
                                              const torch::Device& device) {
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path, device);
  } catch (const c10::Error& e) {
    throw DataError(path, 0,
                    std::string("not a readable checkpoint: ") + e.what_without_backtrace());
  }
  c10::IValue format;
  if (!archive.try_read("format", format) || !format.isString() || format.toStringRef() != kFormat)
    throw DataError(path, 0, "not an au-ensemble checkpoint");
  c10::IValue version;
  archive.read("version", version);
  if (version.toInt() < 1 || version.toInt() > kCheckpointVersion)
    throw DataError(path, 0,
                    "checkpoint version " + std::to_string(version.toInt()) +
                        " is not supported (this build reads versions 1 to " +
                        std::to_string(kCheckpointVersion) + ")");
  return archive;
}

void writeModel(torch::serialize::OutputArchive& archive, AuNet& net) {
  archive.write("format", c10::IValue(std::string(kFormat)));
  archive.write("version", c10::IValue(kCheckpointVersion));
  archive.write("model_fingerprint", c10::IValue(net->options().fingerprint()));
  archive.write("model_options", c10::IValue(net->options().toJson()));
  torch::serialize::OutputArchive model_archive;
  net->save(model_archive);
  archive.write("model", model_archive);
}

void readModel(torch::serialize::InputArchive& archive, const std::string& path, AuNet& net) {
  const std::string saved = readString(archive, "model_fingerprint");
  const std::string wanted = net->options().fingerprint();
  if (saved != wanted)
    throw DataError(path, 0,
                    "was made by another model configuration: checkpoint has '" + saved +
                        "', this run has '" + wanted + "'");
  torch::serialize::InputArchive model_archive;
  archive.read("model", model_archive);
  net->load(model_archive);
}

ModelOptions checkpointModelOptions(const std::string& path) {
  auto archive = openCheckpoint(path);
  return optionsOf(archive, path);
}

std::string checkpointModelFingerprint(const std::string& path) {
  auto archive = openCheckpoint(path);
  return readString(archive, "model_fingerprint");
}

AuNet loadModel(const std::string& path) {
  auto archive = openCheckpoint(path);
  AuNet net(optionsOf(archive, path));
  readModel(archive, path, net);
  return net;
}

}  // namespace au::model
