#include "common/error.h"

#include <gtest/gtest.h>

namespace au {
namespace {

TEST(Error, CheckCarriesExpressionLocationAndMessage) {
  try {
    const int x = 2;
    AU_CHECK(x == 3, "x was ", x);
    FAIL() << "no throw";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("x == 3"), std::string::npos) << what;
    EXPECT_NE(what.find("error_test.cpp"), std::string::npos) << what;
    EXPECT_NE(what.find("x was 2"), std::string::npos) << what;
    EXPECT_EQ(e.exitCode(), kExitFailure);
  }
}

TEST(Error, DataErrorNamesFileAndLineAndExits65) {
  const DataError e("ann/video1.txt", 17, "expected 12 values");
  EXPECT_STREQ(e.what(), "ann/video1.txt:17: expected 12 values");
  EXPECT_EQ(e.exitCode(), 65);
  EXPECT_EQ(DataError("f.txt", 0, "bad").what(), std::string("f.txt: bad"));
}

TEST(Error, ExitCodesAreTheDocumentedOnes) {
  EXPECT_EQ(kExitOk, 0);
  EXPECT_EQ(kExitFailure, 1);
  EXPECT_EQ(kExitUsage, 64);
  EXPECT_EQ(kExitDataError, 65);
  EXPECT_EQ(kExitStopped, 75);
  EXPECT_EQ(UsageError("x").exitCode(), 64);
}

}  // namespace
}  // namespace au
