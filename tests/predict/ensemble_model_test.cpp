#include "predict/ensemble_model.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "common/error.h"
#include "model/model_checkpoint.h"

namespace au::predict {
namespace {

// A one-model ensemble of a small random AU model with BatchNorm statistics away from the
// identity, saved as a checkpoint in a temporary folder.
class EnsembleModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/au_ensemble_model_test_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << pattern;
    dir_ = pattern;
  }
  // C calls, not std::filesystem::remove_all: libtorch.so exports a broken copy of that, which
  // the dynamic linker may pick.
  void TearDown() override {
    ::unlink((dir_ + "/model.pt").c_str());
    ::rmdir(dir_.c_str());
  }

  infer::EnsembleSpec save(bool video_reference) {
    torch::manual_seed(7);
    model::ModelOptions o;
    o.depth = 18;
    o.width = 16;
    o.fpn_width = 16;
    o.video_reference = video_reference;
    model::AuNet net(o);
    {
      torch::NoGradGuard no_grad;
      for (auto& m : net->modules())
        if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
          bn->running_mean.normal_(0, 0.3);
          bn->running_var.uniform_(0.5, 2.0);
          bn->weight.uniform_(0.5, 1.5);
        }
    }
    const std::string path = dir_ + "/model.pt";
    torch::serialize::OutputArchive archive;
    model::writeModel(archive, net);
    archive.save_to(path);
    infer::EnsembleSpec spec;
    infer::SpecCheckpoint c;
    c.name = "model";
    c.checkpoint = path;
    spec.checkpoints.push_back(c);
    return spec;
  }

  static torch::Tensor frames(int n, int seed) {
    torch::manual_seed(seed);
    return torch::randint(0, 256, {n, 112, 112, 3}, torch::kUInt8);
  }

  static double largestDifference(const std::vector<infer::FrameProbabilities>& a,
                                  const std::vector<infer::FrameProbabilities>& b) {
    EXPECT_EQ(a.size(), b.size());
    double worst = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
      for (size_t k = 0; k < a[i].size(); ++k)
        worst = std::max(worst, static_cast<double>(std::abs(a[i][k] - b[i][k])));
    return worst;
  }

  std::string dir_;
};

TEST_F(EnsembleModelTest, OneReferencePerFrameEqualsEachFrameWithItsOwn) {
  EnsembleModel model(save(/*video_reference=*/true), {});
  ASSERT_TRUE(model.needsReference());
  const auto images = frames(4, 1);
  const auto references = frames(4, 2);
  const auto together = model.predict(images, references);
  std::vector<infer::FrameProbabilities> one_by_one;
  for (int64_t i = 0; i < 4; ++i)
    one_by_one.push_back(model.predict(images.narrow(0, i, 1), references[i])[0]);
  EXPECT_LT(largestDifference(together, one_by_one), 1e-5);  // other batch sizes, other kernels
  // The references matter: another frame's reference gives other probabilities.
  const auto swapped = model.predict(images, references.flip(0));
  EXPECT_GT(largestDifference(together, swapped), 1e-4);
}

TEST_F(EnsembleModelTest, ReferencesMustMatchTheFrames) {
  EnsembleModel model(save(/*video_reference=*/true), {});
  EXPECT_THROW(model.predict(frames(4, 1), frames(3, 2)), Error);
  EXPECT_THROW(model.predict(frames(4, 1), torch::zeros({4, 112}, torch::kUInt8)), Error);
  EXPECT_THROW(model.predict(frames(4, 1)), Error);
}

TEST_F(EnsembleModelTest, FoldedBatchNormGivesTheSameProbabilitiesToFloatRounding) {
  const auto spec = save(/*video_reference=*/false);
  EnsembleSettings unfolded;
  unfolded.fold_batchnorm = false;
  EnsembleModel plain(spec, unfolded);
  EnsembleModel folded(spec, {});
  const auto images = frames(8, 3);
  const double difference = largestDifference(plain.predict(images), folded.predict(images));
  // A random model in eval mode amplifies float rounding (model_test measures folding against
  // float64); here: folding is on by default and moves probabilities by rounding only (under
  // 1e-4, the tolerance au_infer_e2e allows between au_infer and au_train's validation).
  EXPECT_LT(difference, 1e-4);
  EXPECT_GT(difference, 0) << "folding should have changed the arithmetic";
}

}  // namespace
}  // namespace au::predict
