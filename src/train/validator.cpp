#include "train/validator.h"

#include <torch/torch.h>

#include <cstring>

#include "common/error.h"
#include "data/augment.h"
#include "metrics/validation_csv.h"

namespace au::train {
namespace {

// The loss of the whole validation set, whatever the batches and rank slices: each batch's
// share uses the set's label counts as denominators (every rank has all labels in memory).
LossCounts wholeSetCounts(const data::ShardDataset& dataset) {
  LossCounts whole;
  for (const auto& truth : dataset.labels()) {
    int labelled = 0;
    for (signed char y : truth) labelled += y >= 0;
    whole.entries += labelled;
    whole.samples += labelled > 0;
  }
  return whole;
}

// One rank's slice of the validation set through the model.
struct SliceResult {
  metrics::AuCounts counts;          // at threshold 0.5
  double loss = 0;                   // this slice's share of the whole set's loss
  std::vector<float> probabilities;  // 12 per frame
};

SliceResult predictSlice(model::AuNet& net, const data::ShardDataset& dataset, int64_t begin,
                         int64_t end, const torch::Device& device, int64_t batch,
                         const LossOptions& loss_options, const data::LoaderOptions& loader_options,
                         const std::vector<uint8_t>* video_references) {
  const int64_t steps = (end - begin + batch - 1) / batch;
  data::BatchLoader loader(
      dataset,
      [begin, end, batch](int64_t step) {
        std::vector<int64_t> samples;
        for (int64_t s = begin + step * batch; s < std::min(end, begin + (step + 1) * batch); ++s)
          samples.push_back(s);
        return samples;
      },
      0, steps, loader_options, device.is_cuda(), video_references);
  const LossCounts whole = wholeSetCounts(dataset);
  std::array<float, io::kNumAus> half;
  half.fill(0.5f);
  SliceResult slice;
  slice.probabilities.reserve(static_cast<size_t>((end - begin) * io::kNumAus));
  while (auto b = loader.next()) {
    const torch::Tensor x = data::normaliseImages(b->images.to(device, /*non_blocking=*/true));
    const torch::Tensor r =
        video_references ? data::normaliseImages(b->references.to(device, true)) : torch::Tensor();
    const torch::Tensor logits = net->forward(net->input(x, r)).to(torch::kFloat32);
    const torch::Tensor labels = b->labels.to(device);
    slice.loss += auLoss(logits, labels, loss_options, &whole).total.item<double>();
    const torch::Tensor p = torch::sigmoid(logits).cpu().contiguous();
    const float* pp = p.data_ptr<float>();
    for (size_t i = 0; i < b->samples.size(); ++i) {
      const auto& truth = dataset.labels()[static_cast<size_t>(b->samples[i])];
      metrics::accumulate(slice.counts, truth, pp + i * io::kNumAus, half);
    }
    slice.probabilities.insert(slice.probabilities.end(), pp, pp + p.numel());
  }
  return slice;
}

// Rank 0: the validation CSV from every rank's probabilities, in rank (= dataset) order.
std::string probabilitiesCsv(const data::ShardDataset& dataset,
                             const std::vector<std::string>& parts) {
  std::string csv = metrics::validationCsvHeader();
  int64_t sample = 0;
  for (const auto& part : parts) {
    AU_CHECK(part.size() % (sizeof(float) * io::kNumAus) == 0,
             "validation probabilities of odd size");
    const size_t frames = part.size() / (sizeof(float) * io::kNumAus);
    std::vector<float> values(frames * io::kNumAus);
    std::memcpy(values.data(), part.data(), part.size());
    for (size_t i = 0; i < frames; ++i, ++sample)
      metrics::appendValidationRow(csv,
                                   dataset.videoNames()[static_cast<size_t>(dataset.video(sample))],
                                   dataset.frame(sample), values.data() + i * io::kNumAus,
                                   dataset.labels()[static_cast<size_t>(sample)]);
  }
  AU_CHECK(sample == dataset.size(), "gathered ", sample, " validation frames, expected ",
           dataset.size());
  return csv;
}

}  // namespace

ValidationResult validate(model::AuNet& net, const data::ShardDataset& dataset,
                          const mpi::ProcessGroup& group, const torch::Device& device,
                          int64_t batch, const LossOptions& loss_options,
                          const data::LoaderOptions& loader_options,
                          const std::vector<uint8_t>* video_references) {
  torch::NoGradGuard no_grad;
  net->eval();
  const int64_t n = dataset.size();
  const int64_t begin = n * group.rank() / group.size(),
                end = n * (group.rank() + 1) / group.size();
  const SliceResult slice = predictSlice(net, dataset, begin, end, device, batch, loss_options,
                                         loader_options, video_references);

  std::vector<int64_t> flat = slice.counts.flatten();
  group.allreduceSum(flat);
  std::vector<double> loss{slice.loss};
  group.allreduceSum(loss);
  ValidationResult result;
  result.scores = metrics::score(metrics::AuCounts::unflatten(flat));
  result.frames = n;
  result.loss = loss[0];

  const auto& p = slice.probabilities;
  const auto parts =
      group.gather(std::string(reinterpret_cast<const char*>(p.data()), p.size() * sizeof(float)));
  if (group.isRoot()) result.probabilities_csv = probabilitiesCsv(dataset, parts);
  return result;
}

}  // namespace au::train
