#include "synth/dataset_generator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "../io/test_dirs.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "io/annotation_file.h"
#include "io/checksum.h"
#include "io/dataset_scan.h"
#include "io/video_list.h"

namespace au::synth {
namespace {
namespace fs = std::filesystem;

SynthOptions tiny(const fs::path& out) {
  SynthOptions o;
  o.out = out.string();
  o.train_videos = 4;
  o.validation_videos = 2;
  o.test_videos = 2;
  o.min_frames = 40;
  o.max_frames = 60;
  o.pair_fraction = 0.5;
  o.missing_fraction = 0.05;
  o.unknown_fraction = 0.05;
  return o;
}

// CRC of every file under `root`, keyed by relative path.
std::map<std::string, uint32_t> treeChecksums(const fs::path& root) {
  std::map<std::string, uint32_t> sums;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file())
      sums[fs::relative(e.path(), root).string()] = io::crc32cOfFile(e.path().string());
  return sums;
}

TEST(DatasetGenerator, WritesTheAffWild2LayoutThatTheReadersAccept) {
  const auto dir = testing::freshDir("synth_layout");
  const auto videos = generateDataset(tiny(dir / "ds"));
  io::DatasetPaths paths;
  paths.root = (dir / "ds").string();
  int pairs = 0;
  for (const std::string split : {"train", "validation", "test"}) {
    const auto scanned = io::scanSplit(paths, split);
    EXPECT_FALSE(scanned.empty()) << split;
    for (const auto& v : scanned) {
      EXPECT_LE(v.images, v.frames);
      pairs += v.name.size() > 5 && v.name.substr(v.name.size() - 5) == "_left";
    }
  }
  EXPECT_GT(pairs, 0) << "some videos must be _left/_right pairs";
  const auto test_names = io::readVideoList(testListPath(paths.root));
  for (const auto& name : test_names) {
    const auto truth = io::readAnnotationFile(testGroundTruthDir(paths.root) + "/" + name + ".txt");
    EXPECT_FALSE(truth.empty());
    EXPECT_FALSE(
        fs::exists(paths.root + "/annotations/AU_Detection_Challenge/Train_Set/" + name + ".txt"));
  }
  int64_t unknown = 0, missing = 0;
  for (const auto& v : videos) {
    unknown += v.unknown_rows;
    missing += v.frames - v.images;
  }
  EXPECT_GT(unknown, 0);
  EXPECT_GT(missing, 0);
}

TEST(DatasetGenerator, SameSeedSameBytesOtherSeedOtherBytes) {
  const auto dir = testing::freshDir("synth_determinism");
  SynthOptions a = tiny(dir / "a");
  SynthOptions b = tiny(dir / "b");
  SynthOptions c = tiny(dir / "c");
  c.seed = a.seed + 1;
  generateDataset(a);
  generateDataset(b);
  generateDataset(c);
  EXPECT_EQ(treeChecksums(dir / "a"), treeChecksums(dir / "b"));
  EXPECT_NE(treeChecksums(dir / "a"), treeChecksums(dir / "c"));
}

TEST(DatasetGenerator, RefusesToOverwriteUnlessAsked) {
  const auto dir = testing::freshDir("synth_overwrite");
  SynthOptions o = tiny(dir / "ds");
  o.train_videos = 1;
  o.validation_videos = 1;
  o.test_videos = 0;
  generateDataset(o);
  EXPECT_THROW(generateDataset(o), UsageError);
  o.overwrite = true;
  EXPECT_NO_THROW(generateDataset(o));
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename(), "ds");  // no temporaries left
}

TEST(DatasetGenerator, WritesRawVideosWhenAsked) {
  const auto dir = testing::freshDir("synth_raw");
  SynthOptions o = tiny(dir / "ds");
  o.train_videos = 2;
  o.validation_videos = 1;
  o.test_videos = 0;
  o.raw_videos = true;
  generateDataset(o);
  int mp4 = 0;
  for (const auto& e : fs::directory_iterator(dir / "ds" / "batch1")) {
    EXPECT_EQ(e.path().extension(), ".mp4");
    EXPECT_GT(fs::file_size(e.path()), 1000u);
    ++mp4;
  }
  EXPECT_EQ(mp4, 3);
}

}  // namespace
}  // namespace au::synth
