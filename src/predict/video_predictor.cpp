#include "predict/video_predictor.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "common/progress.h"
#include "data/video_reference.h"
#include "infer/video_postprocess.h"
#include "io/shard_schema.h"

namespace au::predict {
namespace {
using Clock = std::chrono::steady_clock;

// The video's reference face from its readable faces, as training computed it from its frames.
torch::Tensor referenceFace(const infer::FrameSource& source, const std::string& video,
                            const std::vector<int>& faces) {
  const auto bytes = static_cast<size_t>(io::shard::kImageBytes);
  std::vector<int> picked;
  for (const int64_t i : data::referencePicks(static_cast<int64_t>(faces.size())))
    picked.push_back(faces[static_cast<size_t>(i)]);
  std::vector<uint8_t> images(picked.size() * bytes);
  const std::vector<bool> readable = source.read(video, picked, images.data()).get();
  size_t kept = 0;  // unreadable faces leave the median, as training never stored them
  for (size_t i = 0; i < picked.size(); ++i)
    if (readable[i]) {
      if (kept != i)
        std::copy_n(images.begin() + static_cast<long>(i * bytes), bytes,
                    images.begin() + static_cast<long>(kept * bytes));
      ++kept;
    }
  auto median = data::medianImage(images.data(), static_cast<int64_t>(kept), bytes);
  return torch::from_blob(median.data(),
                          {io::shard::kImageSize, io::shard::kImageSize, io::shard::kChannels},
                          torch::kUInt8)
      .clone();
}

}  // namespace

VideoPredictor::VideoPredictor(const infer::FrameSource& source, EnsembleModel& model,
                               const infer::EnsembleSpec& spec, int batch)
    : source_(source), model_(model), spec_(spec), batch_(batch) {}

VideoPrediction VideoPredictor::predict(const std::string& video, int frames,
                                        const std::function<void()>& between_batches) {
  VideoPrediction out;
  std::vector<int> faces;
  for (const int f : source_.video(video).faces) {
    if (f >= 1 && f <= frames)
      faces.push_back(f);
    else
      ++out.dropped;
  }
  std::vector<infer::FrameProbabilities> sequence(static_cast<size_t>(frames));
  std::vector<bool> present(sequence.size(), false);
  torch::Tensor reference;
  if (model_.needsReference()) {
    const auto t0 = Clock::now();
    reference = referenceFace(source_, video, faces);
    times_.read_wait += secondsSince(t0);
  }

  // Two buffers: batch b+1 is read into one while batch b runs from the other.
  const auto image = [](int64_t n) {
    return torch::empty({n, io::shard::kImageSize, io::shard::kImageSize, io::shard::kChannels},
                        torch::kUInt8);
  };
  std::vector<std::vector<int>> batches;
  for (size_t begin = 0; begin < faces.size(); begin += static_cast<size_t>(batch_))
    batches.emplace_back(faces.begin() + static_cast<long>(begin),
                         faces.begin() + static_cast<long>(std::min(
                                             faces.size(), begin + static_cast<size_t>(batch_))));
  torch::Tensor buffers[2];
  std::future<std::vector<bool>> pending;
  const auto start = [&](size_t b) {
    buffers[b % 2] = image(static_cast<int64_t>(batches[b].size()));
    pending = source_.read(video, batches[b], buffers[b % 2].data_ptr<uint8_t>());
  };
  if (!batches.empty()) start(0);
  for (size_t b = 0; b < batches.size(); ++b) {
    auto t0 = Clock::now();
    const std::vector<bool> readable = pending.get();
    times_.read_wait += secondsSince(t0);
    const torch::Tensor images = buffers[b % 2];
    if (b + 1 < batches.size()) start(b + 1);
    t0 = Clock::now();
    const auto probs = model_.predict(images, reference);
    times_.forward += secondsSince(t0);
    for (size_t i = 0; i < batches[b].size(); ++i) {
      if (!readable[i]) continue;
      const auto f = static_cast<size_t>(batches[b][i] - 1);
      sequence[f] = probs[i];
      present[f] = true;
      ++out.faces;
    }
    between_batches();
  }

  const auto t0 = Clock::now();
  out.probs = infer::postprocessVideo(std::move(sequence), present, spec_);
  times_.postprocess += secondsSince(t0);
  return out;
}

}  // namespace au::predict
