#include "data/batch_loader.h"

#include <torch/torch.h>

#include <condition_variable>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

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

struct BatchLoader::Impl {
  const ShardDataset& dataset;
  std::function<std::vector<int64_t>(int64_t)> samples_of_step;
  int64_t end_step;
  int prefetch;
  bool pin_memory;
  const std::vector<uint8_t>* references;

  std::mutex mutex;
  std::condition_variable changed;
  int64_t next_to_build;    // the next step a worker takes
  int64_t next_to_deliver;  // the next step next() returns
  std::map<int64_t, Batch> ready;
  std::exception_ptr error;
  bool stopping = false;
  std::vector<std::thread> workers;

  Impl(const ShardDataset& d, std::function<std::vector<int64_t>(int64_t)> f, int64_t first,
       int64_t end, int p, bool pin, const std::vector<uint8_t>* refs)
      : dataset(d),
        samples_of_step(std::move(f)),
        end_step(end),
        prefetch(p),
        pin_memory(pin),
        references(refs),
        next_to_build(first),
        next_to_deliver(first) {}

  Batch build(int64_t step) {
    Batch b;
    b.step = step;
    b.samples = samples_of_step(step);
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
        std::memcpy(out + static_cast<size_t>(i) * bytes, references->data() + video * bytes,
                    bytes);
      }
    }
    reading.get();
    return b;
  }

  void work() {
    for (;;) {
      int64_t step;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] {
          return stopping || error || next_to_build >= end_step ||
                 next_to_build < next_to_deliver + prefetch;
        });
        if (stopping || error || next_to_build >= end_step) return;
        step = next_to_build++;
      }
      try {
        Batch batch = build(step);
        std::lock_guard<std::mutex> lock(mutex);
        ready.emplace(step, std::move(batch));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
      }
      changed.notify_all();
    }
  }
};

BatchLoader::BatchLoader(const ShardDataset& dataset,
                         std::function<std::vector<int64_t>(int64_t)> samples_of_step,
                         int64_t first_step, int64_t num_steps, const LoaderOptions& options,
                         bool pin_memory, const std::vector<uint8_t>* video_references)
    : impl_(std::make_unique<Impl>(dataset, std::move(samples_of_step), first_step, num_steps,
                                   options.prefetch, pin_memory, video_references)) {
  AU_CHECK(!video_references ||
               video_references->size() ==
                   dataset.videoNames().size() * static_cast<size_t>(io::shard::kImageBytes),
           "video references for ",
           video_references ? video_references->size() / io::shard::kImageBytes : 0,
           " videos given for a dataset of ", dataset.videoNames().size());
  for (int i = 0; i < options.workers; ++i) impl_->workers.emplace_back([this] { impl_->work(); });
}

BatchLoader::~BatchLoader() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->changed.notify_all();
  for (auto& t : impl_->workers) t.join();
}

std::optional<Batch> BatchLoader::next() {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  if (impl_->next_to_deliver >= impl_->end_step) return std::nullopt;
  impl_->changed.wait(lock,
                      [&] { return impl_->error || impl_->ready.count(impl_->next_to_deliver); });
  if (impl_->error) std::rethrow_exception(impl_->error);
  auto node = impl_->ready.extract(impl_->next_to_deliver++);
  lock.unlock();
  impl_->changed.notify_all();
  return std::move(node.mapped());
}

}  // namespace au::data
