#include "common/log.h"

#include <gtest/gtest.h>

#include <regex>

namespace au::log {
namespace {

TEST(Log, LinesCarryTimeRankLevelAndMessage) {
  setRank(2, 3);
  ::testing::internal::CaptureStderr();
  info("frames ", 12, "/", 40);
  warn("careful");
  const std::string out = ::testing::internal::GetCapturedStderr();
  setRank(0, 1);
  EXPECT_TRUE(
      std::regex_search(out, std::regex(R"(^\d\d:\d\d:\d\d \[r2/3\] INFO  frames 12/40\n)")))
      << out;
  EXPECT_NE(out.find("[r2/3] WARN  careful\n"), std::string::npos) << out;
}

TEST(Log, LevelFiltersAndRootPrintsOnRankZeroOnly) {
  setLevel(Level::kWarn);
  ::testing::internal::CaptureStderr();
  info("hidden");
  debug("hidden too");
  error("shown");
  std::string out = ::testing::internal::GetCapturedStderr();
  setLevel(Level::kInfo);
  EXPECT_EQ(out.find("hidden"), std::string::npos) << out;
  EXPECT_NE(out.find("ERROR shown"), std::string::npos) << out;

  setRank(1, 2);
  ::testing::internal::CaptureStderr();
  root("only rank 0 says this");
  out = ::testing::internal::GetCapturedStderr();
  setRank(0, 2);
  ::testing::internal::CaptureStderr();
  root("rank 0 says this");
  const std::string out0 = ::testing::internal::GetCapturedStderr();
  setRank(0, 1);
  EXPECT_TRUE(out.empty()) << out;
  EXPECT_NE(out0.find("rank 0 says this"), std::string::npos);
}

}  // namespace
}  // namespace au::log
