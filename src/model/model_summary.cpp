#include "model/model_summary.h"

#include <cstdio>
#include <sstream>

namespace au::model {

ParameterCount countParameters(const torch::nn::Module& module) {
  ParameterCount count;
  for (const auto& p : module.parameters(/*recurse=*/true)) {
    count.total += p.numel();
    if (p.requires_grad()) count.trainable += p.numel();
  }
  return count;
}

std::string summarize(AuNet& net) {
  std::ostringstream out;
  char line[256];
  out << "AuNet(" << net->options().fingerprint() << " dropout=" << net->options().dropout << ")\n";
  std::snprintf(line, sizeof line, "%-22s %14s\n", "module", "parameters");
  out << line;
  for (const auto& child : net->named_children()) {
    std::snprintf(line, sizeof line, "%-22s %14lld\n", child.key().c_str(),
                  static_cast<long long>(countParameters(*child.value()).total));
    out << line;
  }
  const auto count = countParameters(*net);
  std::snprintf(line, sizeof line, "%-22s %14lld (trainable %lld; fusion FC %lld)\n", "total",
                static_cast<long long>(count.total), static_cast<long long>(count.trainable),
                static_cast<long long>(net->fusionParameters()));
  out << line << "\noutput shapes for one 112x112 image:\n";
  const bool was_training = net->is_training();
  net->eval();
  Trace trace;
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::zeros({1, 3, 112, 112});
    net->forward(net->input(x, torch::zeros_like(x)), &trace);
  }
  net->train(was_training);
  for (const auto& [name, tensor] : trace) {
    std::ostringstream shape;
    shape << tensor.sizes();
    std::snprintf(line, sizeof line, "  %-20s %s\n", name.c_str(), shape.str().c_str());
    out << line;
  }
  return out.str();
}

}  // namespace au::model
