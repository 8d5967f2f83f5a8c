#include "common/failpoint.h"

#include <gtest/gtest.h>

#include <csignal>

#include "common/error.h"
#include "common/stop_signal.h"

namespace au::failpoint {
namespace {

// What a site does, as a test sees it: nothing, or the exception it throws.
std::string at(const char* name, int rank, int step) {
  try {
    AU_FAILPOINT(name, {"rank", rank}, {"step", step});
  } catch (const UsageError&) {
    throw;
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

class Failpoints : public ::testing::Test {
 protected:
  void TearDown() override { configure(""); }
};

TEST_F(Failpoints, OffByDefaultAndAfterClearing) {
  configure("");
  EXPECT_EQ(at("train.step_done", 0, 5), "");
}

TEST_F(Failpoints, FireOnlyWhereTheContextMatches) {
  configure("train.step_done[rank=1,step=5]=throw");
  EXPECT_EQ(at("train.step_done", 0, 5), "");
  EXPECT_EQ(at("train.step_done", 1, 4), "");
  EXPECT_EQ(at("train.before_validation", 1, 5), "");  // another site
  EXPECT_EQ(at("train.step_done", 1, 5), "failpoint train.step_done");
}

TEST_F(Failpoints, WithoutConditionsEverySiteVisitFires) {
  configure("prep.frame_written=throw;train.step_done[step=2]=throw");
  EXPECT_EQ(at("prep.frame_written", 0, 0), "failpoint prep.frame_written");
  EXPECT_EQ(at("train.step_done", 3, 2), "failpoint train.step_done");
}

TEST_F(Failpoints, SignalGoesToTheProcessHandler) {
  installStopSignalHandlers();
  ASSERT_FALSE(stopRequested());
  configure("train.step_done[step=7]=signal(10)");
  EXPECT_EQ(at("train.step_done", 0, 7), "");
  EXPECT_TRUE(stopRequested());
  EXPECT_EQ(stopSignal(), SIGUSR1);
}

TEST_F(Failpoints, CrashAndExitEndTheProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        configure("infer.video[video=v1]=exit(7)");
        AU_FAILPOINT("infer.video", {"rank", 0}, {"video", std::string("v1")});
      },
      ::testing::ExitedWithCode(7), "");
  EXPECT_EXIT(
      {
        configure("infer.video=crash");
        AU_FAILPOINT("infer.video", {"rank", 0}, {"video", std::string("v2")});
      },
      ::testing::KilledBySignal(SIGKILL), "");
}

TEST_F(Failpoints, MalformedListsAreUsageErrorsNamingTheEntry) {
  auto expectUsage = [](const std::string& list, const std::string& part) {
    try {
      configure(list);
      ADD_FAILURE() << list << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  expectUsage("train.step_done", "is not NAME");
  expectUsage("train.stepdone=throw", "unknown failpoint 'train.stepdone'");
  expectUsage("train.step_done=explode", "unknown action 'explode'");
  expectUsage("train.step_done=signal(x)", "expected a number");
  expectUsage("train.step_done[rank=1=throw", "unclosed [");
  expectUsage("train.step_done[rank]=throw", "'rank' is not KEY=VALUE");
  // A key the site does not have is found when the site is reached.
  configure("train.step_done[epoch=1]=throw");
  EXPECT_THROW(at("train.step_done", 0, 1), UsageError);
}

}  // namespace
}  // namespace au::failpoint
