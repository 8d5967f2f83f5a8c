#include "data/batch_loader.h"

#include <torch/torch.h>

#include <cstring>

#include "common/error.h"
#include "common/options.h"
#include "io/shard_schema.h"

namespace au::data {

void describe(OptionSet& options, LoaderOptions& loader) {
  options.add("loader.workers", &loader.workers, "threads assembling batches");
  options.add("loader.prefetch", &loader.prefetch, "batches prepared ahead of training");
  options.addCheck([&loader] {
    if (loader.workers < 1 || loader.prefetch < 1)
      AU_THROW(UsageError, "--loader.workers and --loader.prefetch must be at least 1");
  });
}

namespace {

Batch buildBatch(const ShardDataset& dataset, const std::vector<int64_t>& samples, int64_t step,
                 bool pin_memory, const std::vector<uint8_t>* references) {
  Batch b;
  b.step = step;
  b.samples = samples;
  const auto n = static_cast<int64_t>(b.samples.size());
  const int64_t side = io::shard::kImageSize;
  const auto uint8 = torch::TensorOptions().dtype(torch::kUInt8).pinned_memory(pin_memory);
  b.images = torch::empty({n, side, side, io::shard::kChannels}, uint8);
  // Everything that can throw is allocated before the read starts writing into b.images.
  b.labels = torch::empty({n, io::kNumAus}, torch::kFloat32);
  if (references) b.references = torch::empty({n, side, side, io::shard::kChannels}, uint8);
  auto reading = dataset.readImages(b.samples, b.images.data_ptr<uint8_t>());
  auto* labels = b.labels.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i)
    for (int a = 0; a < io::kNumAus; ++a)
      labels[i * io::kNumAus + a] =
          dataset.labels()[static_cast<size_t>(b.samples[static_cast<size_t>(i)])][a];
  if (references) {
    const auto bytes = static_cast<size_t>(io::shard::kImageBytes);
    auto* out = b.references.data_ptr<uint8_t>();
    for (int64_t i = 0; i < n; ++i) {
      const auto video = static_cast<size_t>(dataset.video(b.samples[static_cast<size_t>(i)]));
      std::memcpy(out + static_cast<size_t>(i) * bytes, references->data() + video * bytes, bytes);
    }
  }
  reading.get();
  return b;
}

}  // namespace

BatchLoader::BatchLoader(const ShardDataset& dataset,
                         std::function<std::vector<int64_t>(int64_t)> samples_of_step,
                         int64_t first_step, int64_t num_steps, const LoaderOptions& options,
                         bool pin_memory, const std::vector<uint8_t>* video_references) {
  AU_CHECK(!video_references ||
               video_references->size() ==
                   dataset.videoNames().size() * static_cast<size_t>(io::shard::kImageBytes),
           "video references for ",
           video_references ? video_references->size() / io::shard::kImageBytes : 0,
           " videos given for a dataset of ", dataset.videoNames().size());
  prefetch_ = std::make_unique<OrderedPrefetch<Batch>>(
      [&dataset, samples_of_step = std::move(samples_of_step), pin_memory,
       video_references](int64_t step) {
        return buildBatch(dataset, samples_of_step(step), step, pin_memory, video_references);
      },
      first_step, num_steps, options.workers, options.prefetch);
}

BatchLoader::~BatchLoader() = default;

std::optional<Batch> BatchLoader::next() { return prefetch_->next(); }

}  // namespace au::data
