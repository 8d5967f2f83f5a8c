// validate() under real MPI ranks (run at -n 2 and -n 3): the rank slices together give what one
// process computes over the whole set in one batch.
#include "train/validator.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "../io/test_shards.h"
#include "data/augment.h"
#include "metrics/validation_csv.h"

namespace au::train {
namespace {

mpi::ProcessGroup& world() {
  static mpi::ProcessGroup group = mpi::ProcessGroup::world();
  return group;
}

model::ModelOptions tiny() {
  model::ModelOptions o;
  o.depth = 18;
  o.width = 4;
  o.fpn_width = 4;
  o.num_features = 8;
  return o;
}

TEST(Validator, RankSlicesTogetherEqualOneProcessOverTheWholeSet) {
  ASSERT_GE(world().size(), 2) << "run under mpiexec -n 2 or more";
  // Each rank writes its own copy (the same bytes): no two processes, of this run or of the -n 2
  // and -n 3 runs side by side, write one file.
  const auto m = testing::writeExampleShards("validator_np" + std::to_string(world().size()) +
                                             "_rank" + std::to_string(world().rank()));
  data::DatasetSelection everything{{"train", "validation"}};
  data::ShardDataset dataset(m, everything);
  torch::manual_seed(11);  // the same weights on every rank
  model::AuNet net(tiny());
  const ValidationResult v = validate(net, dataset, world(), torch::kCPU, 2, LossOptions{},
                                      data::LoaderOptions{}, nullptr);
  EXPECT_EQ(v.frames, dataset.size());
  if (!world().isRoot()) {
    EXPECT_TRUE(v.probabilities_csv.empty());
    return;
  }

  // One process, one batch: the whole set through the same model.
  const int64_t n = dataset.size();
  std::vector<int64_t> all(static_cast<size_t>(n));
  for (int64_t s = 0; s < n; ++s) all[static_cast<size_t>(s)] = s;
  torch::Tensor images = torch::empty({n, 112, 112, 3}, torch::kUInt8);
  dataset.readImages(all, images.data_ptr<uint8_t>()).get();
  torch::Tensor labels = torch::empty({n, io::kNumAus});
  for (int64_t s = 0; s < n; ++s)
    for (int a = 0; a < io::kNumAus; ++a)
      labels[s][a] = dataset.labels()[static_cast<size_t>(s)][a];
  torch::NoGradGuard no_grad;
  const torch::Tensor logits = net->forward(net->input(data::normaliseImages(images), {}));
  const torch::Tensor probs = torch::sigmoid(logits);
  EXPECT_NEAR(v.loss, auLoss(logits, labels, LossOptions{}).total.item<double>(), 1e-5);

  const std::string path = (std::filesystem::temp_directory_path() /
                            ("au_validator_np" + std::to_string(world().size()) + ".csv"))
                               .string();
  std::ofstream(path) << v.probabilities_csv;
  const auto rows = metrics::readValidationCsv(path);
  ASSERT_EQ(static_cast<int64_t>(rows.size()), n);
  metrics::AuCounts counts;
  std::array<float, io::kNumAus> half;
  half.fill(0.5f);
  for (int64_t s = 0; s < n; ++s) {
    const auto& row = rows[static_cast<size_t>(s)];
    EXPECT_EQ(row.video, dataset.videoNames()[static_cast<size_t>(dataset.video(s))]);
    EXPECT_EQ(row.frame, dataset.frame(s));
    EXPECT_EQ(row.labels, dataset.labels()[static_cast<size_t>(s)]);
    for (int a = 0; a < io::kNumAus; ++a)
      EXPECT_NEAR(row.probs[a], probs[s][a].item<float>(), 1e-5) << s;
    metrics::accumulate(counts, row.labels, row.probs.data(), half);
  }
  EXPECT_EQ(metrics::score(counts).mean_f1, v.scores.mean_f1);
}

}  // namespace
}  // namespace au::train
