#include "common/options.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace au {
namespace {

struct Demo {
  std::string name = "default";
  int count = 3;
  double lr = 0.001;
  bool flag = false;
  std::vector<double> weights{1, 2, 1};
};

void describe(OptionSet& o, Demo& d) {
  o.add("train.name", &d.name, "a name");
  o.add("train.count", &d.count, "a count");
  o.add("train.lr", &d.lr, "learning rate");
  o.add("train.flag", &d.flag, "a switch");
  o.add("train.weights", &d.weights, "weights");
}

OptionSet::Outcome parse(OptionSet& o, std::vector<std::string> args) {
  args.insert(args.begin(), "prog");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return o.parse(static_cast<int>(argv.size()), argv.data());
}

std::string writeTemp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(Options, DefaultsStayWhenNothingIsGiven) {
  OptionSet o("prog", "summary");
  Demo d;
  describe(o, d);
  EXPECT_EQ(parse(o, {}), OptionSet::Outcome::kRun);
  EXPECT_EQ(d.name, "default");
  EXPECT_EQ(d.count, 3);
  EXPECT_EQ(d.weights, (std::vector<double>{1, 2, 1}));
}

TEST(Options, CommandLineBeatsConfigFileBeatsDefaults) {
  const auto ini =
      writeTemp("au_options_test.ini", "[train]\ncount = 7\nlr = 0.5\nweights = 1,2,6\n");
  OptionSet o("prog", "summary");
  Demo d;
  describe(o, d);
  parse(o, {"--config", ini, "--train.count", "9", "--train.flag"});
  EXPECT_EQ(d.count, 9);         // command line
  EXPECT_DOUBLE_EQ(d.lr, 0.5);   // file
  EXPECT_EQ(d.name, "default");  // default
  EXPECT_TRUE(d.flag);
  EXPECT_EQ(d.weights, (std::vector<double>{1, 2, 6}));
}

TEST(Options, LaterConfigFileWins) {
  const auto a = writeTemp("au_options_a.ini", "[train]\ncount = 1\nname = a\n");
  const auto b = writeTemp("au_options_b.ini", "[train]\ncount = 2\n");
  OptionSet o("prog", "summary");
  Demo d;
  describe(o, d);
  parse(o, {"--config", a, "--config", b});
  EXPECT_EQ(d.count, 2);
  EXPECT_EQ(d.name, "a");
}

// Parses `args` into a fresh Demo and returns the UsageError's message ("" if none was thrown).
std::string usageErrorOf(const std::vector<std::string>& args) {
  OptionSet o("prog", "summary");
  Demo d;
  describe(o, d);
  try {
    parse(o, args);
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exitCode(), kExitUsage);
    return e.what();
  }
  return "";
}

TEST(Options, UnknownKeysAndBadValuesAreUsageErrors) {
  const auto ini = writeTemp("au_options_bad.ini", "[train]\ncuont = 1\n");
  EXPECT_NE(usageErrorOf({"--config", ini}).find("cuont"), std::string::npos);
  EXPECT_NE(usageErrorOf({"--train.bogus", "1"}).find("bogus"), std::string::npos);
  EXPECT_NE(usageErrorOf({"--train.count", "many"}).find("many"), std::string::npos);
  EXPECT_NE(usageErrorOf({"--train.weights", "1,x,3"}).find("'x'"), std::string::npos);
  EXPECT_NE(usageErrorOf({"--config", "/nonexistent/file.ini"}).find("/nonexistent/file.ini"),
            std::string::npos);
  EXPECT_EQ(usageErrorOf({"--train.count", "5"}), "");
  // A list split over words would silently keep its first item only.
  EXPECT_NE(usageErrorOf({"--train.name", "a", "b"}).find("unexpected argument 'b'"),
            std::string::npos);
  EXPECT_EQ(usageErrorOf({"--train.flag", "false", "--train.name", "a"}), "");
}

// Boost builds its messages by replacing %tokens% until none is left: a word holding one made
// the message loop forever (tests/fuzz/fuzz_ini_config found it).
TEST(Options, WordsThatLookLikeBoostsMessageTokensStillGiveAnError) {
  const auto unknown = usageErrorOf({"--train.a%canonical_option%b", "1"});
  EXPECT_NE(unknown.find("train.a<%>canonical_option<%>b"), std::string::npos) << unknown;
  EXPECT_NE(usageErrorOf({"--train.count", "%value%"}).find("<%>value<%>"), std::string::npos);
  const auto ini = writeTemp("au_options_token.ini", "[train]\nx%option% = 1\n");
  EXPECT_NE(usageErrorOf({"--config", ini}).find("x<%>option<%>"), std::string::npos);
}

TEST(Options, DumpConfigRoundTrips) {
  OptionSet o("prog", "summary");
  Demo d;
  describe(o, d);
  EXPECT_EQ(parse(o, {"--train.count", "11", "--train.lr", "0.1", "--dump-config"}),
            OptionSet::Outcome::kDumpConfig);
  const std::string dumped = o.dumpConfig();
  EXPECT_NE(dumped.find("[train]\nname = default\ncount = 11\nlr = 0.1\n"), std::string::npos)
      << dumped;
  const auto ini = writeTemp("au_options_dump.ini", dumped);
  OptionSet o2("prog", "summary");
  Demo d2;
  describe(o2, d2);
  parse(o2, {"--config", ini});
  EXPECT_EQ(d2.count, 11);
  EXPECT_DOUBLE_EQ(d2.lr, 0.1);
  EXPECT_EQ(o2.dumpConfig(), dumped);
}

TEST(Options, HelpListsOptionsAndExitCodes) {
  OptionSet o("prog", "does things");
  Demo d;
  describe(o, d);
  EXPECT_EQ(parse(o, {"--help"}), OptionSet::Outcome::kHelp);
  const std::string help = o.helpText();
  EXPECT_NE(help.find("--train.lr"), std::string::npos);
  EXPECT_NE(help.find("does things"), std::string::npos);
  EXPECT_NE(help.find("65 bad input data"), std::string::npos);
}

TEST(Options, ChecksRunAfterParsing) {
  OptionSet o("prog", "summary");
  Demo d;
  describe(o, d);
  o.addCheck([&d] {
    if (d.count < 0) AU_THROW(UsageError, "--train.count must not be negative");
  });
  EXPECT_THROW(parse(o, {"--train.count", "-1"}), UsageError);
}

}  // namespace
}  // namespace au
