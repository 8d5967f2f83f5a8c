#include "common/disk_space.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>

#include "common/error.h"

namespace au {
namespace {

TEST(DiskSpace, TheNoteNamesTheNearestExistingFolderAndItsSpace) {
  const auto tmp = std::filesystem::temp_directory_path();
  const std::string note = freeSpaceNote((tmp / "au_not_made/yet/shard.h5").string());
  EXPECT_NE(note.find(" MiB free of "), std::string::npos) << note;
  EXPECT_NE(note.find("on the file system of " + tmp.string()), std::string::npos) << note;
}

TEST(DiskSpace, AWriteErrorNamesThePathTheReasonAndTheSpace) {
  try {
    throwWriteError("/tmp/out/submission.csv", "write 12 bytes", ENOSPC);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.exitCode(), kExitFailure);
    EXPECT_EQ(
        what.rfind("/tmp/out/submission.csv: cannot write 12 bytes: No space left on device (", 0),
        0u)
        << what;
    EXPECT_NE(what.find(" MiB free of "), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace au
