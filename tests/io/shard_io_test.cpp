#include <gtest/gtest.h>

#include <filesystem>

#include "../io/test_dirs.h"
#include "../io/test_shards.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "io/checksum.h"
#include "io/shard_reader.h"
#include "io/shard_schema.h"
#include "io/shard_writer.h"

namespace au::io {
namespace {

using testing::imageOf;
using testing::labelsOf;

// Two videos; the first has frame 2 missing and frame 4 unreadable. 7 rows in all.
void writeExample(const std::string& path, int chunk) {
  ShardWriterOptions options;
  options.chunk_frames = chunk;
  ShardWriter w(path, "train", 4, 0xABCDEFull, options);
  w.addVideo("video1_left", 5);
  for (int f : {1, 3, 5}) w.appendFrame(f, labelsOf(f), imageOf(f).data());
  w.recordMissing(2, shard::kNoImageFile);
  w.recordMissing(4, shard::kUnreadableImage);
  w.addVideo("2-30-640x360", 4);
  for (int f : {1, 2, 3, 4}) w.appendFrame(f, labelsOf(10 + f), imageOf(10 + f).data());
  EXPECT_EQ(w.rowsWritten(), 7);
  w.close();
}

TEST(ShardIo, WriteThenReadGivesTheSameContent) {
  const auto dir = testing::freshDir("shard_roundtrip");
  const std::string path = (dir / "train-00004.h5").string();
  writeExample(path, 2);
  ShardReader r(path);
  EXPECT_TRUE(r.complete());
  EXPECT_EQ(r.schemaVersion(), shard::kSchemaVersion);
  EXPECT_EQ(r.split(), "train");
  EXPECT_EQ(r.shardIndex(), 4);
  EXPECT_EQ(r.planFingerprint(), 0xABCDEFull);
  EXPECT_EQ(r.numRows(), 7);
  EXPECT_EQ(r.videos(), (std::vector<std::string>{"video1_left", "2-30-640x360"}));
  EXPECT_EQ(r.videoFirstRow(), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(r.videoNumRows(), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(r.videoNumFrames(), (std::vector<int32_t>{5, 4}));
  ASSERT_EQ(r.missing().size(), 2u);
  EXPECT_EQ(r.missing()[1].frame, 4);
  EXPECT_EQ(r.missing()[1].reason, shard::kUnreadableImage);
  EXPECT_EQ(r.readFrameNumbers(0, 7), (std::vector<int32_t>{1, 3, 5, 1, 2, 3, 4}));
  EXPECT_EQ(r.readVideoIndex(2, 3), (std::vector<int32_t>{0, 1, 1}));
  const auto labels = r.readLabels(0, 7);
  EXPECT_EQ(labels[1], labelsOf(3));
  EXPECT_EQ(labels[6], labelsOf(14));
  std::vector<uint8_t> images(static_cast<size_t>(2 * shard::kImageBytes));
  r.readImages(4, 2, images.data());
  const auto expected = imageOf(12);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), images.begin()));
  EXPECT_THROW(r.readLabels(6, 2), Error);
}

TEST(ShardIo, SameContentGivesSameBytes) {
  const auto dir = testing::freshDir("shard_bytes");
  writeExample((dir / "a.h5").string(), 4);
  writeExample((dir / "b.h5").string(), 4);
  writeExample((dir / "c.h5").string(), 3);
  EXPECT_NE(crc32cOfFile((dir / "a.h5").string()), crc32cOfFile((dir / "c.h5").string()));
  EXPECT_EQ(crc32cOfFile((dir / "a.h5").string()), crc32cOfFile((dir / "b.h5").string()));
}

TEST(ShardIo, CompressedShardReadsBackTheSame) {
  const auto dir = testing::freshDir("shard_gzip");
  ShardWriterOptions options;
  options.compression = 4;
  const std::string path = (dir / "c.h5").string();
  {
    ShardWriter w(path, "test", 0, 1, options);
    w.addVideo("v", 1);
    AuLabels unknown;
    unknown.fill(-1);
    w.appendFrame(1, unknown, imageOf(5).data());
    w.close();
  }
  ShardReader r(path);
  std::vector<uint8_t> image(static_cast<size_t>(shard::kImageBytes));
  r.readImages(0, 1, image.data());
  EXPECT_EQ(image, imageOf(5));
  EXPECT_EQ(r.readLabels(0, 1)[0][3], -1);
}

TEST(ShardIo, AShardNotClosedIsNotComplete) {
  const auto dir = testing::freshDir("shard_incomplete");
  const std::string path = (dir / "x.h5").string();
  {
    ShardWriter w(path, "train", 0, 1, ShardWriterOptions{});
    w.addVideo("v", 10);
    w.appendFrame(1, labelsOf(1), imageOf(1).data());
  }  // destroyed without close(), as when an exception unwinds
  ShardReader r(path);
  EXPECT_FALSE(r.complete());
}

TEST(ShardIo, NonShardFilesAreDataErrors) {
  const auto dir = testing::freshDir("shard_bad");
  testing::writeText(dir / "junk.h5", "not hdf5 at all");
  EXPECT_THROW(ShardReader((dir / "junk.h5").string()), DataError);
  EXPECT_THROW(ShardReader((dir / "absent.h5").string()), DataError);
}

TEST(Checksum, KnownValues) {
  const auto dir = testing::freshDir("checksum");
  testing::writeText(dir / "f", "123456789");
  EXPECT_EQ(crc32cOfFile((dir / "f").string()), 0xE3069283u);  // the CRC-32C check value
  EXPECT_EQ(hex32(0xE3069283u), "e3069283");
  EXPECT_EQ(crc32c(crc32c(0, "1234", 4), "56789", 5), 0xE3069283u);  // continues across pieces
  EXPECT_EQ(fingerprint64(""), 0xcbf29ce484222325ull);
  EXPECT_NE(fingerprint64("a"), fingerprint64("b"));
}

}  // namespace
}  // namespace au::io
