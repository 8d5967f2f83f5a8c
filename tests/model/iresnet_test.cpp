#include "model/iresnet.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "common/error.h"
#include "model/model_summary.h"
#include "model/safetensors.h"
#include "model/state_loading.h"

namespace au::model {
namespace {
namespace fs = std::filesystem;

TEST(IResNet, R100HasInsightfaceParameterCountAndStateDictSize) {
  IResNet net(100);
  EXPECT_EQ(countParameters(*net).total, 65156160);            // REFERENCE.md section 5
  EXPECT_EQ(countParameters(*net).trainable, 65156160 - 512);  // features.weight is fixed
  const auto state = stateDict(*net);
  EXPECT_EQ(state.size(), 925u);
  for (const char* key : {"conv1.weight", "bn1.running_var", "prelu.weight", "layer1.0.bn1.weight",
                          "layer1.0.downsample.0.weight",
                          "layer1.0.downsample.1.num_batches_tracked", "layer3.29.conv2.weight",
                          "layer4.2.bn3.bias", "bn2.weight", "fc.weight", "features.running_mean"})
    EXPECT_TRUE(state.count(key)) << key;
  EXPECT_FALSE(state.count("layer1.1.downsample.0.weight"));
  EXPECT_EQ(state.at("fc.weight").sizes(), (std::vector<int64_t>{512, 25088}));
}

TEST(IResNet, StagesHaveThePublishedShapes) {
  IResNet net(18);
  net->eval();
  torch::NoGradGuard no_grad;
  const auto stages = net->stages(torch::zeros({2, 3, 112, 112}));
  EXPECT_EQ(stages[0].sizes(), (std::vector<int64_t>{2, 64, 56, 56}));
  EXPECT_EQ(stages[1].sizes(), (std::vector<int64_t>{2, 128, 28, 28}));
  EXPECT_EQ(stages[2].sizes(), (std::vector<int64_t>{2, 256, 14, 14}));
  EXPECT_EQ(stages[3].sizes(), (std::vector<int64_t>{2, 512, 7, 7}));
  EXPECT_EQ(net->forward(torch::zeros({2, 3, 112, 112})).sizes(), (std::vector<int64_t>{2, 512}));
  EXPECT_THROW(IResNet(42), UsageError);
}

// The Python reference (tests/model/iresnet_reference.py) builds insightface's IResNet from its
// published structure, fills random weights, and exports weights, an input and its features.
class PythonReference : public ::testing::Test {
 protected:
  fs::path exportReference(const std::string& args) {
    // One folder per test: ctest runs the tests of this binary in parallel.
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path dir =
        fs::temp_directory_path() / ("au_iresnet_reference_" + std::string(info->name()));
    fs::create_directories(dir);
    const std::string check =
        std::string(AU_PYTHON) + " -c 'import torch, safetensors' > /dev/null 2>&1";
    if (std::system(check.c_str()) != 0) return {};
    const fs::path out = dir / "r18";
    const std::string command = std::string(AU_PYTHON) + " " + AU_SOURCE_DIR +
                                "/tests/model/iresnet_reference.py export " + out.string() +
                                " --depth 18 " + args + " > /dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return out;
  }

  static double relativeError(const torch::Tensor& a, const torch::Tensor& b) {
    return ((a - b).abs().max() / b.abs().max()).item<double>();
  }
};

TEST_F(PythonReference, SafetensorsWeightsGiveTheSameFeatures) {
  const fs::path out = exportReference("");
  if (out.empty())
    GTEST_SKIP() << "Python torch not found at " << AU_PYTHON << ": run jobs/setup.sh";
  IResNet net(18);
  const auto report =
      loadStateDict(*net, readSafetensors(out.string() + ".safetensors"), LoadMode::kStrict);
  EXPECT_EQ(report.loaded, 187);
  net->eval();
  torch::NoGradGuard no_grad;
  const auto input = readSafetensors(out.string() + ".input.safetensors").at("input");
  const auto expected = readSafetensors(out.string() + ".features.safetensors").at("features");
  EXPECT_LT(relativeError(net->forward(input), expected), 1e-5);
}

TEST_F(PythonReference, TorchSavePlainDictAndFp16WeightsLoad) {
  const fs::path out = exportReference("--fp16");
  if (out.empty())
    GTEST_SKIP() << "Python torch not found at " << AU_PYTHON << ": run jobs/setup.sh";
  const auto half = readSafetensors(out.string() + ".safetensors");
  EXPECT_EQ(half.at("conv1.weight").scalar_type(), torch::kFloat16);
  const auto pickled = readTorchSaveDict(out.string() + ".pt");
  EXPECT_EQ(pickled.size(), half.size());
  EXPECT_TRUE(torch::equal(pickled.at("layer2.0.conv1.weight"), half.at("layer2.0.conv1.weight")));
  IResNet net(18);
  loadStateDict(*net, pickled, LoadMode::kStrict);
  EXPECT_EQ(net->named_parameters()["conv1.weight"].scalar_type(), torch::kFloat32);
  net->eval();
  torch::NoGradGuard no_grad;
  const auto input = readSafetensors(out.string() + ".input.safetensors").at("input");
  const auto expected = readSafetensors(out.string() + ".features.safetensors").at("features");
  EXPECT_LT(relativeError(net->forward(input), expected), 1e-5);  // fp16 values, fp32 maths
}

TEST_F(PythonReference, InsightfaceOrderedDictConvertsAndLoads) {
  const fs::path out = exportReference("--fp16");
  if (out.empty())
    GTEST_SKIP() << "Python torch not found at " << AU_PYTHON << ": run jobs/setup.sh";
  // REFERENCE.md warns that torch::pickle_load turned an OrderedDict into None; the pinned
  // LibTorch (2.11) reads it, and it must then agree with the converted file.
  const auto pickled = readTorchSaveDict(out.string() + ".pth");
  const std::string converted = out.string() + ".converted.safetensors";
  const std::string command = std::string(AU_PYTHON) + " " + AU_SOURCE_DIR +
                              "/data_prep/convert_backbone.py " + out.string() + ".pth " +
                              converted + " > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const auto safetensors = readSafetensors(converted);
  ASSERT_EQ(safetensors.size(), pickled.size());
  for (const auto& [name, t] : safetensors) EXPECT_TRUE(torch::equal(t, pickled.at(name))) << name;
  IResNet net(18);
  loadStateDict(*net, safetensors, LoadMode::kStrict, "", converted);
  net->eval();
  torch::NoGradGuard no_grad;
  const auto input = readSafetensors(out.string() + ".input.safetensors").at("input");
  const auto expected = readSafetensors(out.string() + ".features.safetensors").at("features");
  EXPECT_LT(relativeError(net->forward(input), expected), 1e-5);
}

}  // namespace
}  // namespace au::model
