// GraphedStep in CUDA builds: warm-up and capture on a side stream, as CUDA graphs require
// (the legacy default stream cannot capture), ordered with the caller's stream by events.
#include <ATen/autocast_mode.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
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
// Ends a capture that failed midway, so that the stream and this thread may run eagerly again.
void endFailedCapture(GraphedStep::Graph& graph, const c10::cuda::CUDAStream& stream) {
  try {
    graph.graph.capture_end();
    return;
  } catch (const std::exception&) {
  }
  cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
  if (cudaStreamIsCapturing(stream.stream(), &status) == cudaSuccess &&
      status != cudaStreamCaptureStatusNone) {
    cudaGraph_t partial = nullptr;
    if (cudaStreamEndCapture(stream.stream(), &partial) == cudaSuccess && partial)
      cudaGraphDestroy(partial);
  }
}

}  // namespace

GraphedStep::GraphedStep(std::function<void()> step, torch::Device device, int warmup)
    : step_(std::move(step)) {
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
  {
    // Held across the catch too: a capture must end on the stream it began on.
    c10::cuda::CUDAStreamGuard stream_guard(side);
    try {
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
      if (capturing) endFailedCapture(*graph, side);
      graph.reset();
      (void)cudaGetLastError();  // clear the capture's error so that eager work can go on
    }
  }
  at::autocast::set_autocast_cache_enabled(autocast_cache);
  order(side, caller);
  // The warm-up's cached blocks stay with the side stream otherwise: give them back.
  c10::cuda::CUDACachingAllocator::emptyCache();
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
