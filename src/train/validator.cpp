#include "train/validator.h"

#include <torch/torch.h>

#include <cstdio>
#include <cstring>

#include "common/error.h"
#include "data/augment.h"

namespace au::train {

std::string probabilitiesHeader() {
  std::string header = "video,frame";
  for (const auto& au : io::kAuNames) header += ",prob_" + au;
  for (const auto& au : io::kAuNames) header += ",label_" + au;
  return header + "\n";
}

ValidationResult validate(model::AuNet& net, const data::ShardDataset& dataset, const mpi::ProcessGroup& group,
                          const torch::Device& device, int64_t batch, const LossOptions& loss_options,
                          const data::LoaderOptions& loader_options, const std::vector<uint8_t>* video_references) {
  torch::NoGradGuard no_grad;
  net->eval();
  const int64_t n = dataset.size();
  const int64_t begin = n * group.rank() / group.size(), end = n * (group.rank() + 1) / group.size();
  const int64_t steps = (end - begin + batch - 1) / batch;
  data::BatchLoader loader(
      dataset,
      [begin, end, batch](int64_t step) {
        std::vector<int64_t> samples;
        for (int64_t s = begin + step * batch; s < std::min(end, begin + (step + 1) * batch); ++s) samples.push_back(s);
        return samples;
      },
      0, steps, loader_options, device.is_cuda(), video_references);

  // The loss of the whole validation set, whatever the batches and rank slices: each batch's
  // share uses the set's label counts as denominators (every rank has all labels in memory).
  LossCounts whole;
  for (const auto& truth : dataset.labels()) {
    int labelled = 0;
    for (signed char y : truth) labelled += y >= 0;
    whole.entries += labelled;
    whole.samples += labelled > 0;
  }
  AuCounts counts;
  std::array<float, io::kNumAus> half;
  half.fill(0.5f);
  double loss_sum = 0;
  std::vector<float> probabilities;  // this rank's slice, 12 per frame
  probabilities.reserve(static_cast<size_t>((end - begin) * io::kNumAus));
  while (auto b = loader.next()) {
    const torch::Tensor x = data::normaliseImages(b->images.to(device, /*non_blocking=*/true));
    const torch::Tensor r = video_references ? data::normaliseImages(b->references.to(device, true)) : torch::Tensor();
    const torch::Tensor logits = net->forward(net->input(x, r)).to(torch::kFloat32);
    const torch::Tensor labels = b->labels.to(device);
    loss_sum += auLoss(logits, labels, loss_options, &whole).total.item<double>();
    const torch::Tensor p = torch::sigmoid(logits).cpu().contiguous();
    const float* pp = p.data_ptr<float>();
    for (size_t i = 0; i < b->samples.size(); ++i) {
      const auto& truth = dataset.labels()[static_cast<size_t>(b->samples[i])];
      accumulate(counts, truth, pp + i * io::kNumAus, half);
    }
    probabilities.insert(probabilities.end(), pp, pp + p.numel());
  }

  std::vector<int64_t> flat = counts.flatten();
  group.allreduceSum(flat);
  std::vector<double> loss{loss_sum};
  group.allreduceSum(loss);
  ValidationResult result;
  result.scores = score(AuCounts::unflatten(flat));
  result.frames = n;
  result.loss = loss[0];

  std::string bytes(reinterpret_cast<const char*>(probabilities.data()), probabilities.size() * sizeof(float));
  const auto parts = group.gather(bytes);
  if (group.isRoot()) {
    std::string csv = probabilitiesHeader();
    int64_t sample = 0;
    char cell[32];
    for (const auto& part : parts) {
      AU_CHECK(part.size() % (sizeof(float) * io::kNumAus) == 0, "validation probabilities of odd size");
      const size_t frames = part.size() / (sizeof(float) * io::kNumAus);
      for (size_t i = 0; i < frames; ++i, ++sample) {
        csv += dataset.videoNames()[static_cast<size_t>(dataset.video(sample))];
        csv += ",";
        csv += std::to_string(dataset.frame(sample));
        for (int a = 0; a < io::kNumAus; ++a) {
          float value;
          std::memcpy(&value, part.data() + (i * io::kNumAus + static_cast<size_t>(a)) * sizeof(float), sizeof value);
          std::snprintf(cell, sizeof cell, ",%.9g", static_cast<double>(value));  // round-trips a float
          csv += cell;
        }
        for (int a = 0; a < io::kNumAus; ++a) {
          csv += ",";
          csv += std::to_string(static_cast<int>(dataset.labels()[static_cast<size_t>(sample)][a]));
        }
        csv += "\n";
      }
    }
    AU_CHECK(sample == n, "gathered ", sample, " validation frames, expected ", n);
    result.probabilities_csv = std::move(csv);
  }
  return result;
}

}  // namespace au::train
