#include "data/shard_dataset.h"

#include <gtest/gtest.h>

#include <cstring>

#include "../io/test_dirs.h"
#include "../io/test_shards.h"
#include "common/error.h"

namespace au::data {
namespace {
using testing::imageOf;
using testing::labelsOf;

using testing::writeExampleShards;

TEST(ShardDataset, HoldsTheLabelledFramesOfItsSplitsInShardOrder) {
  const auto m = writeExampleShards("dataset_order");
  ShardDataset train(m, {{"train"}});
  EXPECT_EQ(train.size(), 8);  // 4 + 3 + 2 frames, a's frame 3 unlabelled
  EXPECT_EQ(train.videoNames(), (std::vector<std::string>{"a", "b", "c"}));
  const std::vector<std::pair<int, int>> expected = {{0, 1}, {0, 2}, {0, 4}, {1, 1},
                                                     {1, 2}, {1, 3}, {2, 1}, {2, 2}};
  for (int64_t s = 0; s < train.size(); ++s) {
    const auto [video, frame] = expected[static_cast<size_t>(s)];
    EXPECT_EQ(train.video(s), video) << s;
    EXPECT_EQ(train.frame(s), frame) << s;
    EXPECT_EQ(train.labels()[static_cast<size_t>(s)], labelsOf(10 * video + frame)) << s;
  }
  EXPECT_EQ(train.describe(), "8 frames of 3 videos in 2 shards (train)");
  DatasetSelection everything{{"train", "validation"}};
  everything.labelled_only = false;
  EXPECT_EQ(ShardDataset(m, everything).size(), 11);
}

TEST(ShardDataset, FoldsSelectOrExcludeTheirVideos) {
  const auto m = writeExampleShards("dataset_folds");
  DatasetSelection only{{"train"}, 1};
  ShardDataset fold(m, only);
  EXPECT_EQ(fold.videoNames(), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(fold.size(), 5);
  only.exclude_fold = true;
  ShardDataset others(m, only);
  EXPECT_EQ(others.videoNames(), (std::vector<std::string>{"a"}));
  EXPECT_EQ(others.size(), 3);
}

TEST(ShardDataset, ReadsImagesInTheOrderAsked) {
  const auto m = writeExampleShards("dataset_images");
  ShardDataset train(m, {{"train"}});
  const std::vector<int64_t> samples = {7, 0, 3, 3, 5, 1};
  std::vector<uint8_t> out(samples.size() * static_cast<size_t>(io::shard::kImageBytes));
  train.readImages(samples, out.data()).get();
  for (size_t i = 0; i < samples.size(); ++i) {
    const int seed = 10 * train.video(samples[i]) + train.frame(samples[i]);
    EXPECT_EQ(std::memcmp(out.data() + i * io::shard::kImageBytes, imageOf(seed).data(),
                          io::shard::kImageBytes),
              0)
        << "sample " << samples[i];
  }
}

TEST(ShardDataset, AMissingFoldSplitOrShardIsAClearError) {
  const auto m = writeExampleShards("dataset_errors");
  EXPECT_THROW(ShardDataset(m, DatasetSelection{{"train"}, 2}), UsageError);
  EXPECT_THROW(ShardDataset(m, DatasetSelection{{"test"}}), DataError);
  std::filesystem::remove(std::filesystem::path(m.folder) / "train-1.h5");
  try {
    ShardDataset broken(m, {{"train"}});
    FAIL() << "a missing shard was not noticed";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("train-1.h5"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace au::data
