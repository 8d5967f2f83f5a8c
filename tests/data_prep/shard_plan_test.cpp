#include "prep/shard_plan.h"

#include <gtest/gtest.h>

#include <set>

#include "io/raw_video_name.h"

namespace au::prep {
namespace {

io::VideoEntry video(const std::string& name, const std::string& split, int frames) {
  io::VideoEntry v;
  v.name = name;
  v.split = split;
  v.frames = frames;
  v.images = frames - 1;
  v.annotation_crc = static_cast<uint32_t>(frames * 7);
  return v;
}

std::vector<io::VideoEntry> example() {
  return {video("a", "train", 100),       video("b_left", "train", 300),
          video("b_right", "train", 300), video("c", "train", 50),
          video("d", "train", 120),       video("e", "validation", 80),
          video("f", "validation", 90),   video("g", "test", 70)};
}

PlanOptions options(int64_t shard_frames, int folds) {
  PlanOptions o;
  o.shard_frames = shard_frames;
  o.folds = folds;
  return o;
}

TEST(ShardPlan, ShardsHoldWholeVideosOfOneSplitUpToTheTarget) {
  const ShardPlan plan = makePlan(example(), options(400, 0), 2);
  std::set<int> seen;
  for (const auto& s : plan.shards) {
    EXPECT_LE(s.frames, 400);  // no video here is larger than the target
    int64_t frames = 0;
    for (int v : s.videos) {
      EXPECT_EQ(plan.videos[static_cast<size_t>(v)].split, s.split);
      EXPECT_TRUE(seen.insert(v).second) << "video in two shards";
      frames += plan.videos[static_cast<size_t>(v)].frames;
    }
    EXPECT_EQ(frames, s.frames);
  }
  EXPECT_EQ(seen.size(), plan.videos.size());
  EXPECT_EQ(plan.shards.front().file, "train-00000.h5");
  EXPECT_EQ(plan.shards.back().file, "test-00000.h5");
}

TEST(ShardPlan, ContentDoesNotDependOnTheNumberOfRanks) {
  const ShardPlan one = makePlan(example(), options(400, 5), 1);
  for (int ranks : {2, 3, 7}) {
    const ShardPlan many = makePlan(example(), options(400, 5), ranks);
    ASSERT_EQ(many.shards.size(), one.shards.size());
    for (size_t i = 0; i < one.shards.size(); ++i) {
      EXPECT_EQ(many.shards[i].file, one.shards[i].file);
      EXPECT_EQ(many.shards[i].videos, one.shards[i].videos);
      EXPECT_EQ(many.shards[i].fingerprint, one.shards[i].fingerprint);
      EXPECT_LT(many.shards[i].rank, ranks);
    }
    EXPECT_EQ(many.fold, one.fold);
  }
}

TEST(ShardPlan, RanksGetBalancedWork) {
  std::vector<io::VideoEntry> videos;
  for (int i = 0; i < 40; ++i)
    videos.push_back(video("v" + std::to_string(100 + i), "train", 100 + 13 * (i % 7)));
  const ShardPlan plan = makePlan(videos, options(250, 0), 3);
  std::vector<int64_t> load(3, 0);
  int64_t largest = 0;
  for (const auto& s : plan.shards) {
    load[static_cast<size_t>(s.rank)] += s.images;
    largest = std::max(largest, s.images);
  }
  const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
  EXPECT_LE(*hi - *lo, largest);  // greedy balancing is within one shard
}

TEST(ShardPlan, FoldsKeepBothPeopleOfARawVideoTogetherAndSkipTest) {
  const ShardPlan plan = makePlan(example(), options(400, 3), 2);
  ASSERT_EQ(plan.fold.size(), plan.videos.size());
  std::map<std::string, int> fold_of;
  for (size_t i = 0; i < plan.videos.size(); ++i) fold_of[plan.videos[i].name] = plan.fold[i];
  EXPECT_EQ(fold_of["b_left"], fold_of["b_right"]);
  EXPECT_EQ(fold_of["g"], -1);
  std::vector<int64_t> frames(3, 0);
  for (size_t i = 0; i < plan.videos.size(); ++i)
    if (plan.fold[i] >= 0) frames[static_cast<size_t>(plan.fold[i])] += plan.videos[i].frames;
  for (int64_t f : frames) EXPECT_GT(f, 0);
  EXPECT_EQ(io::rawVideoName("video7_left"), "video7");
  EXPECT_EQ(io::rawVideoName("video7_right"), "video7");
  EXPECT_EQ(io::rawVideoName("video45_7"), "video45_7");
}

TEST(ShardPlan, FingerprintChangesWithContentAndJsonRoundTrips) {
  auto videos = example();
  const ShardPlan a = makePlan(videos, options(400, 5), 2);
  videos[0].annotation_crc ^= 1;  // an edited annotation file
  const ShardPlan b = makePlan(videos, options(400, 5), 2);
  EXPECT_NE(a.shards[0].fingerprint, b.shards[0].fingerprint);
  EXPECT_EQ(a.shards.back().fingerprint, b.shards.back().fingerprint);
  const ShardPlan c = planFromJson(planToJson(a));
  EXPECT_EQ(planToJson(c), planToJson(a));
  EXPECT_EQ(c.shards[1].videos, a.shards[1].videos);
}

}  // namespace
}  // namespace au::prep
