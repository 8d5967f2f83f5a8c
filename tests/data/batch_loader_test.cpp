#include "data/batch_loader.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <stdexcept>

#include "../io/test_shards.h"
#include "common/error.h"

namespace au::data {
namespace {
using testing::imageOf;
using testing::writeExampleShards;

// Step s takes samples (3s + 2) % 8, (3s + 1) % 8, (3s) % 8: out of order, crossing shards.
std::vector<int64_t> samplesOf(int64_t step) {
  return {(3 * step + 2) % 8, (3 * step + 1) % 8, (3 * step) % 8};
}

TEST(BatchLoader, YieldsEveryStepInOrderWithItsImagesAndLabels) {
  const auto m = writeExampleShards("loader_order");
  ShardDataset train(m, {{"train"}});
  LoaderOptions options;
  options.workers = 3;  // workers finish out of order; batches must not
  options.prefetch = 2;
  BatchLoader loader(train, samplesOf, 1, 6, options);
  int64_t expected_step = 1;
  while (auto b = loader.next()) {
    ASSERT_EQ(b->step, expected_step);
    EXPECT_EQ(b->samples, samplesOf(expected_step));
    ASSERT_EQ(b->images.sizes(), (torch::IntArrayRef{3, 112, 112, 3}));
    ASSERT_EQ(b->labels.sizes(), (torch::IntArrayRef{3, 12}));
    EXPECT_FALSE(b->references.defined());
    for (size_t i = 0; i < b->samples.size(); ++i) {
      const int64_t s = b->samples[i];
      const int seed = 10 * train.video(s) + train.frame(s);
      EXPECT_EQ(std::memcmp(b->images[static_cast<int64_t>(i)].data_ptr<uint8_t>(),
                            imageOf(seed).data(), io::shard::kImageBytes),
                0);
      for (int a = 0; a < io::kNumAus; ++a)
        EXPECT_EQ(b->labels[static_cast<int64_t>(i)][a].item<float>(),
                  train.labels()[static_cast<size_t>(s)][a]);
    }
    ++expected_step;
  }
  EXPECT_EQ(expected_step, 6);
  EXPECT_FALSE(loader.next().has_value());
}

TEST(BatchLoader, EachSampleCarriesItsVideosReference) {
  const auto m = writeExampleShards("loader_references");
  ShardDataset train(m, {{"train"}});
  std::vector<uint8_t> references(train.videoNames().size() * io::shard::kImageBytes);
  for (size_t v = 0; v < train.videoNames().size(); ++v)
    std::memset(references.data() + v * io::shard::kImageBytes, static_cast<int>(v + 1),
                io::shard::kImageBytes);
  BatchLoader loader(train, samplesOf, 0, 2, LoaderOptions{}, false, &references);
  while (auto b = loader.next())
    for (size_t i = 0; i < b->samples.size(); ++i)
      EXPECT_TRUE(
          torch::all(b->references[static_cast<int64_t>(i)] == train.video(b->samples[i]) + 1)
              .item<bool>());
  const std::vector<uint8_t> too_few(io::shard::kImageBytes);
  EXPECT_THROW(BatchLoader(train, samplesOf, 0, 2, LoaderOptions{}, false, &too_few), Error);
}

TEST(BatchLoader, AWorkersErrorReachesTheConsumer) {
  const auto m = writeExampleShards("loader_error");
  ShardDataset train(m, {{"train"}});
  BatchLoader loader(
      train,
      [](int64_t step) -> std::vector<int64_t> {
        if (step == 2) throw std::runtime_error("no samples for step 2");
        return samplesOf(step);
      },
      0, 4, LoaderOptions{});
  try {
    while (loader.next()) {
    }
    FAIL() << "the worker's error was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "no samples for step 2");
  }
}

}  // namespace
}  // namespace au::data
