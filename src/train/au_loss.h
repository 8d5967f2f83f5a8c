// The paper's training loss: per-AU weighted BCE with logits plus weighted multilabel
// soft-margin loss, with label smoothing, entries labelled -1 masked out. Each term is a
// switch for the ablation.
#pragma once

#include <torch/types.h>

#include <vector>

namespace au {
class OptionSet;
}

namespace au::train {

struct LossOptions {
  /// Per-AU weight on both the positive and the negative term (paper's W, AU order of
  /// io::kAuNames).
  std::vector<double> au_weights{1, 2, 1, 1, 1, 1, 1, 6, 6, 5, 1, 5};
  /// Targets become y (1 - eps) + eps / 2 (0 -> eps/2, 1 -> 1 - eps/2).
  double label_smoothing = 0.1;
  bool bce = true;         ///< weighted BCE term
  bool multilabel = true;  ///< weighted multilabel soft-margin term
};

void describe(OptionSet& options, LossOptions& loss);

struct LossTerms {
  torch::Tensor total;       ///< what is minimised: the sum of the enabled terms
  torch::Tensor bce;         ///< mean over labelled entries of the weighted BCE
  torch::Tensor multilabel;  ///< per sample, mean over its labelled AUs; then mean over samples
};

/// Labelled (not -1) entries and samples of a batch: the denominators of the two terms.
struct LossCounts {
  double entries = 0;  ///< (sample, AU) pairs labelled 0 or 1
  double samples = 0;  ///< samples with at least one labelled AU
};
LossCounts lossCounts(const torch::Tensor& labels);

/// `logits` N x C (any float dtype; computed in fp32), `labels` N x C with 1, 0 or -1
/// (unknown: contributes nothing to either term, and is left out of every mean). With all
/// entries labelled the two terms equal LibTorch's binary_cross_entropy_with_logits(weight)
/// and multilabel_soft_margin_loss(weight).
/// With `global` given, the two means divide by those counts instead of this batch's: data-
/// parallel training passes the counts summed over ranks, so that the sum of the ranks' losses
/// is the loss of the global batch whatever the split (and -1 labels fall unevenly).
/// `weights`, if given, is auWeights(options, logits' device), made once: a step captured in a
/// CUDA graph must not copy from the host.
LossTerms auLoss(const torch::Tensor& logits, const torch::Tensor& labels,
                 const LossOptions& options, const LossCounts* global = nullptr,
                 const torch::Tensor& weights = {});

/// As above with the global batch's counts as a float tensor {entries, samples} on the logits'
/// device, where a step replayed as a CUDA graph reads each step's values.
LossTerms auLoss(const torch::Tensor& logits, const torch::Tensor& labels,
                 const LossOptions& options, const torch::Tensor& global_counts,
                 const torch::Tensor& weights);

/// The per-AU weights as float32 on `device`.
torch::Tensor auWeights(const LossOptions& options, torch::Device device);

}  // namespace au::train
