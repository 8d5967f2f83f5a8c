#include "common/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/error.h"

namespace au {
namespace {
namespace fs = std::filesystem;

TEST(AtomicFile, WritesReplacesAndLeavesNoTemporary) {
  const fs::path dir = fs::temp_directory_path() / "au_atomic_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "out.json").string();
  writeFileAtomic(path, "first");
  EXPECT_EQ(readFile(path), "first");
  writeFileAtomic(path, "second");
  EXPECT_EQ(readFile(path), "second");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
  EXPECT_NE(temporaryPath(path).find(path + ".tmp."), std::string::npos);
}

TEST(AtomicFile, FailedWriteLeavesTheOldFile) {
  const fs::path dir = fs::temp_directory_path() / "au_atomic_test2";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "out.txt").string();
  writeFileAtomic(path, "good");
  // The temporary name is taken by a directory, so creating it fails: the old file must stay.
  fs::create_directories(temporaryPath(path));
  EXPECT_THROW(writeFileAtomic(path, "bad"), Error);
  EXPECT_EQ(readFile(path), "good");
}

TEST(AtomicFile, ReadingAMissingFileNamesIt) {
  try {
    readFile("/nonexistent/au/file");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/au/file"), std::string::npos);
  }
}

}  // namespace
}  // namespace au
