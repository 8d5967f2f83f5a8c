// au_infer's work: the test videos scattered over MPI ranks (rank 0 hands them out, largest
// first), each video run through the ensemble, filled, smoothed and thresholded, and the results
// gathered on rank 0 into both submission formats plus the smoothed probabilities.
#pragma once

#include <string>

#include "mpi/process_group.h"
#include "predict/compute_options.h"

namespace au {
class OptionSet;
}

namespace au::predict {

struct InferOptions {
  std::string ensemble;        ///< the spec au_select wrote
  std::string data;            ///< au_prep's shard folder, or a cropped_aligned root
  std::string split = "test";  ///< the split of the shards to predict
  bool verify_shards = true;   ///< check the split's shards' CRC-32C against the manifest first
  std::string videos;          ///< test list (one name per line); empty: every video of the source
  std::string test_template;   ///< organisers' ABAW5+ template: video order and frame counts
  std::string out;             ///< output folder
  long long batch = 64;
  ComputeOptions compute;  ///< --infer.device, --infer.precision, --infer.threads
  /// GPU: replay each batch size's forward passes as a CUDA graph. Off until measured on a GPU.
  bool cuda_graph = false;
};
void describe(OptionSet& options, InferOptions& infer);

/// Collective. Returns the exit code.
int runInference(const InferOptions& options, const mpi::ProcessGroup& group);

}  // namespace au::predict
