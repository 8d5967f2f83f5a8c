#include "common/progress.h"

#include <gtest/gtest.h>

namespace au {
namespace {

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(formatDuration(12.4), "12s");
  EXPECT_EQ(formatDuration(185), "3m05s");
  EXPECT_EQ(formatDuration(3725), "1h02m");
  EXPECT_EQ(formatDuration(-1), "?");
}

TEST(Progress, ReportNamesCountsAndPercentage) {
  ProgressMeter meter("frames", 200, 0.0);
  const std::string line = meter.report(50);
  EXPECT_NE(line.find("frames 50/200 (25.0%)"), std::string::npos) << line;
  EXPECT_NE(line.find("frames/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA"), std::string::npos) << line;
}

TEST(Progress, PeakRssIsPlausible) {
  const int64_t rss = peakRssBytes();
  EXPECT_GT(rss, 1 << 20);
  EXPECT_LT(rss, int64_t{1} << 34);
}

}  // namespace
}  // namespace au
