#include "data/video_reference.h"

#include <algorithm>

#include "common/error.h"
#include "data/shard_dataset.h"
#include "io/shard_schema.h"

namespace au::data {

std::vector<int64_t> referencePicks(int64_t count, int max_frames) {
  AU_CHECK(max_frames >= 2, "a reference needs at least 2 frames to pick from, not ", max_frames);
  std::vector<int64_t> picks;
  if (count <= max_frames) {
    for (int64_t i = 0; i < count; ++i) picks.push_back(i);
    return picks;
  }
  // Integer spacing: the same picks on every machine.
  for (int64_t k = 0; k < max_frames; ++k) picks.push_back(k * (count - 1) / (max_frames - 1));
  return picks;
}

std::vector<int64_t> referenceSlots(int64_t count, int max_frames) {
  std::vector<int64_t> slots(static_cast<size_t>(std::max<int64_t>(count, 0)), -1);
  const auto picks = referencePicks(count, max_frames);
  for (size_t k = 0; k < picks.size(); ++k)
    slots[static_cast<size_t>(picks[k])] = static_cast<int64_t>(k);
  return slots;
}

std::vector<uint8_t> medianImage(const uint8_t* images, int64_t count, size_t bytes) {
  std::vector<uint8_t> out(bytes, 0);
  if (count <= 0) return out;
  // A histogram per pixel would need 256 counters each; with at most a few hundred frames a
  // partial sort of each pixel's values is cheaper.
  std::vector<uint8_t> values(static_cast<size_t>(count));
  const auto middle = values.begin() + (count - 1) / 2;
  for (size_t p = 0; p < bytes; ++p) {
    for (int64_t i = 0; i < count; ++i)
      values[static_cast<size_t>(i)] = images[static_cast<size_t>(i) * bytes + p];
    std::nth_element(values.begin(), middle, values.end());
    out[p] = *middle;
  }
  return out;
}

std::vector<uint8_t> videoReferences(const ShardDataset& dataset, int max_frames) {
  const size_t bytes = static_cast<size_t>(io::shard::kImageBytes);
  const size_t videos = dataset.videoNames().size();
  std::vector<std::vector<int64_t>> samples_of(videos);
  for (int64_t s = 0; s < dataset.size(); ++s)
    samples_of[static_cast<size_t>(dataset.video(s))].push_back(s);
  std::vector<uint8_t> references(videos * bytes, 0);
  std::vector<uint8_t> frames;
  for (size_t v = 0; v < videos; ++v) {
    const auto& samples = samples_of[v];  // in frame order: the dataset keeps shard row order
    std::vector<int64_t> picked;
    for (const int64_t i : referencePicks(static_cast<int64_t>(samples.size()), max_frames))
      picked.push_back(samples[static_cast<size_t>(i)]);
    frames.resize(picked.size() * bytes);
    dataset.readImages(picked, frames.data()).get();
    const auto median = medianImage(frames.data(), static_cast<int64_t>(picked.size()), bytes);
    std::copy(median.begin(), median.end(), references.begin() + static_cast<long>(v * bytes));
  }
  return references;
}

}  // namespace au::data
