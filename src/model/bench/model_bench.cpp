// au_bench_model: images/s of IResNet-100 and of the full AU model, forward (eval, no grad)
// and forward+backward (train), fp32 or bf16 autocast, on CPU. The same measurement as
// model_bench.py, for the C++/Python ratio (see bench_model.sh and BENCHMARKS.md).
#include <torch/torch.h>

#include <chrono>
#include <iostream>

#include "common/error.h"
#include "common/malloc_tuning.h"
#include "common/options.h"
#include "common/run_program.h"
#include "model/au_net.h"
#include "model/model_summary.h"
#include "model/precision.h"

int main(int argc, char** argv) {
  au::OptionSet options("au_bench_model",
                        "Measures model images/s on CPU (see src/model/bench/bench_model.sh).");
  std::string model_name = "r100", mode = "forward", precision = "fp32";
  int batch = 8, iterations = 3, threads = 2;
  options.add("bench.model", &model_name,
              "r100 (the bare backbone) or aunet (the full AU model, depth 100)");
  options.add("bench.mode", &mode, "forward (eval, no grad) or train (forward + backward)");
  options.add("bench.batch", &batch, "images per step");
  options.add("bench.precision", &precision, "fp32 or bf16 (autocast)");
  options.add("bench.iterations", &iterations, "timed steps after one warm-up step");
  options.add("bench.threads", &threads, "intra-op threads (LibTorch defaults to 1 on these VMs)");
  bool tune_malloc = true;
  options.add("bench.tune_malloc", &tune_malloc,
              "keep freed tensor memory for reuse (what au_train does)");
  return au::runProgram(argc, argv, options, [&] {
    if (tune_malloc) AU_CHECK(au::keepFreedMemoryForReuse(), "mallopt refused the settings");
    torch::set_num_threads(threads);
    torch::manual_seed(0);
    std::shared_ptr<torch::nn::Module> module;
    std::function<torch::Tensor(const torch::Tensor&)> forward;
    if (model_name == "r100") {
      au::model::IResNet net(100);
      module = net.ptr();
      forward = [net](const torch::Tensor& x) mutable { return net->forward(x); };
    } else {
      au::model::AuNet net(au::model::ModelOptions{});
      module = net.ptr();
      forward = [net](const torch::Tensor& x) mutable { return net->forward(x); };
    }
    const torch::Tensor x = torch::rand({batch, 3, 112, 112}) * 2 - 1;
    const bool train = mode == "train";
    module->train(train);
    auto once = [&] {
      torch::Tensor out;
      {
        std::unique_ptr<au::model::AutocastScope> autocast;
        if (precision == "bf16")
          autocast = std::make_unique<au::model::AutocastScope>(torch::kCPU, torch::kBFloat16);
        if (!train) {
          torch::NoGradGuard no_grad;
          forward(x);
          return;
        }
        out = forward(x);
      }
      module->zero_grad(/*set_to_none=*/true);
      out.to(torch::kFloat32).pow(2).mean().backward();
    };
    once();  // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) once();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "cpp " << model_name << " " << mode << " " << batch << " " << precision << " "
              << batch * iterations / seconds << " " << au::model::countParameters(*module).total
              << "\n";
    return 0;
  });
}
