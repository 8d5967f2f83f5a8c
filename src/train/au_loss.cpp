#include "train/au_loss.h"

#include <torch/nn/functional/loss.h>

#include <algorithm>

#include "common/error.h"
#include "common/options.h"

namespace au::train {

void describe(OptionSet& options, LossOptions& loss) {
  options.add("loss.au_weights", &loss.au_weights,
              "per-AU weights of both loss terms (paper: 1,2,1,1,1,1,1,6,6,5,1,5)");
  options.add("loss.label_smoothing", &loss.label_smoothing, "eps: targets become y(1-eps)+eps/2");
  options.add("loss.bce", &loss.bce, "use the weighted BCE term");
  options.add("loss.multilabel", &loss.multilabel, "use the weighted multilabel soft-margin term");
  options.addCheck([&loss] {
    if (loss.label_smoothing < 0 || loss.label_smoothing >= 1)
      AU_THROW(UsageError, "--loss.label_smoothing must be in [0, 1)");
    if (!loss.bce && !loss.multilabel) AU_THROW(UsageError, "enable at least one loss term");
    for (double w : loss.au_weights)
      if (w < 0) AU_THROW(UsageError, "--loss.au_weights must not be negative");
  });
}

LossCounts lossCounts(const torch::Tensor& labels) {
  const torch::Tensor mask = labels >= 0;
  LossCounts counts;
  counts.entries = static_cast<double>(mask.sum().item<int64_t>());
  counts.samples = static_cast<double>(mask.any(1).sum().item<int64_t>());
  return counts;
}

torch::Tensor auWeights(const LossOptions& options, torch::Device device) {
  return torch::tensor(options.au_weights, torch::TensorOptions().dtype(torch::kFloat64))
      .to(device, torch::kFloat32);
}

namespace {

// Both terms' numerators: the weighted, masked BCE of every entry, and each sample's mean over
// its labelled AUs; the callers divide by this batch's or the global batch's counts.
struct LossParts {
  torch::Tensor mask, entry, labelled_per_sample, per_sample;
};

LossParts lossParts(const torch::Tensor& logits, const torch::Tensor& labels,
                    const LossOptions& options, const torch::Tensor& weights) {
  AU_CHECK(logits.dim() == 2 && logits.sizes() == labels.sizes(), "logits ", logits.sizes(),
           " and labels ", labels.sizes(), " must both be N x C");
  const int64_t classes = logits.size(1);
  AU_CHECK(static_cast<int64_t>(options.au_weights.size()) == classes, "loss.au_weights has ",
           options.au_weights.size(), " values for ", classes, " AUs");
  const torch::Tensor x = logits.to(torch::kFloat32);
  LossParts parts;
  parts.mask = (labels >= 0).to(torch::kFloat32);
  const double eps = options.label_smoothing;
  const torch::Tensor target = labels.clamp_min(0).to(torch::kFloat32) * (1 - eps) + eps / 2;
  const torch::Tensor weight = weights.defined() ? weights : auWeights(options, x.device());
  namespace F = torch::nn::functional;
  // -w [y log s(x) + (1 - y) log s(-x)] per entry, numerically stable, masked.
  parts.entry =
      F::binary_cross_entropy_with_logits(
          x, target, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone)) *
      weight * parts.mask;
  parts.labelled_per_sample = parts.mask.sum(1);
  parts.per_sample = parts.entry.sum(1) / parts.labelled_per_sample.clamp_min(1);
  return parts;
}

LossTerms withTotal(LossTerms terms, const LossOptions& options) {
  terms.total = torch::zeros({}, terms.bce.options());
  if (options.bce) terms.total = terms.total + terms.bce;
  if (options.multilabel) terms.total = terms.total + terms.multilabel;
  return terms;
}

}  // namespace

LossTerms auLoss(const torch::Tensor& logits, const torch::Tensor& labels,
                 const LossOptions& options, const LossCounts* global,
                 const torch::Tensor& weights) {
  const LossParts parts = lossParts(logits, labels, options, weights);
  LossTerms terms;
  if (global) {
    terms.bce = parts.entry.sum() / std::max(global->entries, 1.0);
    terms.multilabel = parts.per_sample.sum() / std::max(global->samples, 1.0);
  } else {
    terms.bce = parts.entry.sum() / parts.mask.sum().clamp_min(1);
    terms.multilabel = parts.per_sample.sum() / (parts.labelled_per_sample > 0).sum().clamp_min(1);
  }
  return withTotal(terms, options);
}

LossTerms auLoss(const torch::Tensor& logits, const torch::Tensor& labels,
                 const LossOptions& options, const torch::Tensor& global_counts,
                 const torch::Tensor& weights) {
  AU_CHECK(global_counts.numel() == 2, "global_counts must hold {entries, samples}");
  const LossParts parts = lossParts(logits, labels, options, weights);
  const torch::Tensor counts = global_counts.clamp_min(1);
  LossTerms terms;
  terms.bce = parts.entry.sum() / counts[0];
  terms.multilabel = parts.per_sample.sum() / counts[1];
  return withTotal(terms, options);
}

}  // namespace au::train
