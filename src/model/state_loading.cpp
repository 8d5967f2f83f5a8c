#include "model/state_loading.h"

#include <sstream>

#include "common/error.h"

namespace au::model {
namespace {

std::string shapeText(const torch::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

std::string listSome(const std::vector<std::string>& names, size_t most = 12) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < most; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > most) text += ", ... (" + std::to_string(names.size()) + " in all)";
  return text;
}

}  // namespace

std::string LoadReport::summary() const {
  std::ostringstream out;
  out << loaded << " tensors loaded";
  if (!missing.empty()) out << "; missing (" << missing.size() << "): " << listSome(missing);
  if (!unexpected.empty())
    out << "; unexpected (" << unexpected.size() << "): " << listSome(unexpected);
  if (!mismatched.empty())
    out << "; shape mismatch (" << mismatched.size() << "): " << listSome(mismatched);
  return out.str();
}

TensorMap stateDict(const torch::nn::Module& module) {
  TensorMap state;
  for (const auto& item : module.named_parameters(/*recurse=*/true))
    state.emplace(item.key(), item.value());
  for (const auto& item : module.named_buffers(/*recurse=*/true))
    state.emplace(item.key(), item.value());
  return state;
}

LoadReport loadStateDict(torch::nn::Module& module, const TensorMap& tensors, LoadMode mode,
                         const std::string& module_prefix, const std::string& source) {
  LoadReport report;
  TensorMap targets;
  for (const auto& [name, tensor] : stateDict(module))
    if (name.rfind(module_prefix, 0) == 0)
      targets.emplace(name.substr(module_prefix.size()), tensor);
  for (const auto& [key, value] : tensors)
    if (!targets.count(key)) report.unexpected.push_back(key);
  torch::NoGradGuard no_grad;
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;
  for (const auto& [key, target] : targets) {
    const auto found = tensors.find(key);
    if (found == tensors.end()) {
      report.missing.push_back(module_prefix + key);
      continue;
    }
    if (found->second.sizes() != target.sizes()) {
      report.mismatched.push_back(key + ": file " + shapeText(found->second) + " vs model " +
                                  shapeText(target));
      continue;
    }
    copies.emplace_back(target, found->second);
  }
  const bool strict_failed =
      mode == LoadMode::kStrict &&
      (!report.missing.empty() || !report.unexpected.empty() || !report.mismatched.empty());
  if (strict_failed || !report.mismatched.empty())
    throw DataError(source, 0, "does not match the model: " + report.summary());
  // Copy only after every check passed: a failed load leaves the module untouched.
  for (auto& [target, value] : copies) target.copy_(value.to(target.dtype()));
  report.loaded = static_cast<int>(copies.size());
  return report;
}

}  // namespace au::model
