#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "model/au_net.h"
#include "model/safetensors.h"
#include "model/state_loading.h"

namespace au::model {
namespace {
namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "au_weights_test";
  fs::create_directories(dir);
  return dir / name;
}

TEST(Safetensors, RoundTripsEveryDtypeAndShape) {
  TensorMap tensors;
  tensors["a.f32"] = torch::randn({3, 4});
  tensors["b.f16"] = torch::randn({5}).to(torch::kFloat16);
  tensors["c.bf16"] = torch::randn({2, 2, 2}).to(torch::kBFloat16);
  tensors["d.i64"] = torch::arange(7);
  tensors["e.u8"] = torch::arange(4).to(torch::kUInt8);
  tensors["f.scalar"] = torch::tensor(2.5);
  const std::string path = scratch("round.safetensors").string();
  writeSafetensors(path, tensors);
  const auto back = readSafetensors(path);
  ASSERT_EQ(back.size(), tensors.size());
  for (const auto& [name, t] : tensors) {
    EXPECT_EQ(back.at(name).scalar_type(), t.scalar_type()) << name;
    EXPECT_TRUE(torch::equal(back.at(name), t)) << name;
  }
}

TEST(Safetensors, MalformedFilesAreDataErrorsNamingTheFile) {
  const std::string path = scratch("bad.safetensors").string();
  auto expectError = [&](const std::string& bytes, const std::string& part) {
    std::ofstream(path, std::ios::binary) << bytes;
    try {
      readSafetensors(path);
      FAIL() << "accepted " << part;
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  // A file of the 8-byte length of `header` (plus `extra_length`), `header`, then `data`.
  const auto file = [](const std::string& header, const std::string& data, int extra_length = 0) {
    std::string length(8, '\0');
    length[0] = static_cast<char>(header.size() + extra_length);
    return length + header + data;
  };
  expectError("abc", "too short");
  const std::string two_floats = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  expectError(file(two_floats, "", 100), "beyond the end");
  expectError(file(two_floats, "1234"), "offsets outside");
  expectError(file(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", "12345678"),
              "shape needs 12");
  expectError(file(R"({"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}})", "1"),
              "unsupported dtype 'Q7'");
  // Shapes that would allocate more than the file holds are refused before any allocation.
  expectError(file(R"({"w":{"dtype":"F32","shape":[-2,-1],"data_offsets":[0,8]}})", "12345678"),
              "negative dimension -2");
  expectError(file(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
                   "12345678"),
              "too large");
  expectError(
      file(R"({"w":{"dtype":"U8","shape":[1099511627776],"data_offsets":[0,8]}})", "12345678"),
      "shape needs 1099511627776");
  expectError(file("[1,2]", ""), "not an object");
}

TEST(StateLoading, StrictFailureListsMissingUnexpectedAndMisshapedKeysAndChangesNothing) {
  IResNet net(18);
  TensorMap state = stateDict(*net);
  TensorMap bad;
  for (const auto& [k, v] : state) bad[k] = torch::zeros_like(v);
  bad.erase("layer1.0.conv1.weight");
  bad["head.extra"] = torch::zeros({1});
  bad["fc.weight"] = torch::zeros({10, 10});
  const torch::Tensor before = net->named_parameters()["conv1.weight"].clone();
  try {
    loadStateDict(*net, bad, LoadMode::kStrict, "", "r18.safetensors");
    FAIL();
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("r18.safetensors"), std::string::npos) << what;
    EXPECT_NE(what.find("missing (1): layer1.0.conv1.weight"), std::string::npos) << what;
    EXPECT_NE(what.find("unexpected (1): head.extra"), std::string::npos) << what;
    EXPECT_NE(what.find("fc.weight: file [10, 10] vs model [512, 25088]"), std::string::npos)
        << what;
  }
  EXPECT_TRUE(torch::equal(net->named_parameters()["conv1.weight"], before));
}

TEST(StateLoading, PartialLoadPutsABackboneIntoTheAuModel) {
  IResNet glint(18);  // stands in for a pretrained face-recognition backbone
  {
    torch::NoGradGuard no_grad;
    for (auto& p : glint->parameters()) p.fill_(0.25);
  }
  ModelOptions options;
  options.depth = 18;
  AuNet net(options);
  const auto report = loadStateDict(*net, stateDict(*glint), LoadMode::kPartial, "backbone.");
  // The AU model has no face-recognition head (FPN replaces it): those keys are unexpected.
  EXPECT_EQ(report.unexpected.size(), 12u) << report.summary();  // bn2 x5, fc x2, features x5
  EXPECT_TRUE(report.missing.empty()) << report.summary();
  EXPECT_TRUE(torch::all(net->backbone()->named_parameters()["layer2.1.conv2.weight"] == 0.25)
                  .item<bool>());
  // The head and neck stay as initialised (not all 0.25).
  EXPECT_FALSE(torch::all(net->named_parameters()["au_head.weight"] == 0.25).item<bool>());
}

TEST(StateLoading, PartialLoadOfAnotherDepthReportsItsExtraBlocksAndAnotherWidthIsAShapeError) {
  ModelOptions options;
  options.depth = 18;
  AuNet net(options);
  // A deeper backbone of the same width: the blocks both have load, the extra ones are reported.
  const auto deeper = loadStateDict(*net, stateDict(*IResNet(34)), LoadMode::kPartial, "backbone.");
  const auto& extra = deeper.unexpected;
  EXPECT_NE(std::find(extra.begin(), extra.end(), "layer1.2.conv1.weight"), extra.end())
      << deeper.summary();
  EXPECT_TRUE(deeper.missing.empty()) << deeper.summary();
  EXPECT_TRUE(deeper.mismatched.empty()) << deeper.summary();
  // Another width changes every shape: an error naming a key with both shapes, weights unchanged.
  const torch::Tensor before = net->backbone()->named_parameters()["conv1.weight"].clone();
  try {
    loadStateDict(*net, stateDict(*IResNet(18, true, 512, 32)), LoadMode::kPartial, "backbone.",
                  "narrow.safetensors");
    FAIL() << "a backbone of another width was loaded";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("narrow.safetensors"), std::string::npos) << what;
    EXPECT_NE(what.find("conv1.weight: file [32, 3, 3, 3] vs model [64, 3, 3, 3]"),
              std::string::npos)
        << what;
  }
  EXPECT_TRUE(torch::equal(net->backbone()->named_parameters()["conv1.weight"], before));
}

}  // namespace
}  // namespace au::model
