// GraphedStep in CUDA builds: warm-up and capture on a side stream, as CUDA graphs require
// (the legacy default stream cannot capture), ordered with the caller's stream by events.
#include <ATen/autocast_mode.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <exception>

#include "model/graphed_step.h"

namespace au::model {

struct GraphedStep::Graph {
  at::cuda::CUDAGraph graph;
};

namespace {
// `later` waits for what is queued on `earlier` so far.
void order(const c10::cuda::CUDAStream& earlier, const c10::cuda::CUDAStream& later) {
  at::cuda::CUDAEvent event;
  event.record(earlier);
  event.block(later);
}
}  // namespace

GraphedStep::GraphedStep(std::function<void()> step, torch::Device device, int warmup) : step_(std::move(step)) {
  if (!device.is_cuda()) {
    why_eager_ = "the device is the CPU";
    return;
  }
  c10::cuda::CUDAGuard device_guard(device);
  const c10::cuda::CUDAStream caller = c10::cuda::getCurrentCUDAStream(device.index());
  const c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(false, device.index());
  order(caller, side);
  // Autocast's weight-cast cache would hand the graph tensors made outside it.
  const bool autocast_cache = at::autocast::is_autocast_cache_enabled();
  at::autocast::set_autocast_cache_enabled(false);
  auto graph = std::make_unique<Graph>();
  bool capturing = false;
  try {
    c10::cuda::CUDAStreamGuard stream_guard(side);
    for (int i = 0; i < warmup; ++i) step_();
    side.synchronize();
    // Thread-local: the batch loader's thread may pin memory while this thread captures.
    graph->graph.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
    capturing = true;
    step_();
    graph->graph.capture_end();
    capturing = false;
    graph_ = std::move(graph);
  } catch (const std::exception& e) {
    why_eager_ = std::string("capture failed: ") + e.what();
    if (capturing) {
      try {
        graph->graph.capture_end();  // ends the stream's capture; the graph is discarded
      } catch (const std::exception&) {
      }
    }
    graph.reset();
    (void)cudaGetLastError();  // a failed capture leaves a sticky-free error code behind
  }
  at::autocast::set_autocast_cache_enabled(autocast_cache);
  order(side, caller);
  // The captured run computed nothing: the graph holds the work, replayed by run().
}

GraphedStep::~GraphedStep() = default;

void GraphedStep::run() {
  if (graph_)
    graph_->graph.replay();
  else
    step_();
}

bool GraphedStep::captured() const { return graph_ != nullptr; }
const std::string& GraphedStep::whyEager() const { return why_eager_; }

}  // namespace au::model
