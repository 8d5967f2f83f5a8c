// A step (training's forward and backward, inference's forward passes) replayed as one CUDA
// graph. On a GPU the AU model's eager training step launches thousands of small kernels from
// the CPU and is bound by that at small batches; a captured graph launches them all with one
// call. The step must read and write only tensors that stay where they are (fixed input
// buffers, parameters, gradients, optimiser state) and never wait on the host; whatever cannot
// be captured falls back to eager, and whyEager() says why.
#pragma once

#include <torch/types.h>

#include <functional>
#include <memory>
#include <string>

namespace au::model {

class GraphedStep {
 public:
  /// Runs `step` `warmup` times eagerly on a side stream (cuDNN and the allocator settle),
  /// then captures one more run. On the CPU, in a build without CUDA or where capture fails,
  /// nothing is captured and run() calls `step`.
  GraphedStep(std::function<void()> step, torch::Device device, int warmup = 3);
  ~GraphedStep();
  GraphedStep(const GraphedStep&) = delete;
  GraphedStep& operator=(const GraphedStep&) = delete;

  /// One step: replays the graph, or calls the step eagerly.
  void run();
  bool captured() const;
  /// Why run() is eager ("" when captured).
  const std::string& whyEager() const;

  struct Graph;  // the CUDA build's capture; opaque here

 private:
  std::function<void()> step_;
  std::unique_ptr<Graph> graph_;
  std::string why_eager_;
};

}  // namespace au::model
