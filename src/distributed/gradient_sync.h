// Data-parallel gradient averaging by fused buckets (PyTorch DDP's design): parameters are
// grouped, in reverse registration order, into flat buffers of about bucket_mb; each bucket is
// reduced with one collective, in the same fixed order on every rank. With overlap on, a
// gradient hook copies each gradient into its bucket as backward produces it, and a full
// bucket starts its allreduce at once, so communication runs while backward goes on.
#pragma once

#include <torch/types.h>

#include <memory>
#include <vector>

#include "distributed/communicator.h"

namespace au {
class OptionSet;
}

namespace au::distributed {

struct GradientSyncOptions {
  double bucket_mb = 25;  ///< target bucket size in MiB (DDP's default)
  bool overlap = true;    ///< start bucket allreduces during backward
};
void describe(OptionSet& options, GradientSyncOptions& sync);

class GradientSync {
 public:
  /// `parameters`: the trainable parameters, identical in shape and order on every rank.
  GradientSync(Communicator& comm, std::vector<torch::Tensor> parameters,
               const GradientSyncOptions& options);
  ~GradientSync();
  GradientSync(const GradientSync&) = delete;
  GradientSync& operator=(const GradientSync&) = delete;

  /// Collective. After backward: waits for (or runs) every bucket's allreduce and replaces each
  /// parameter's gradient by its mean over ranks. A parameter backward did not reach keeps no
  /// gradient (its bucket slot carries zeros).
  /// With overlap, each step's backward must start after the previous finish() (no gradient
  /// accumulation across backward calls).
  void finish();

  int numBuckets() const;
  /// Elements of each bucket, in reduction order.
  std::vector<int64_t> bucketSizes() const;
  /// Seconds finish() spent waiting for communication in its last call (what overlap hides).
  double lastWaitSeconds() const;
  /// True when buckets are started from gradient hooks.
  bool overlapping() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au::distributed
