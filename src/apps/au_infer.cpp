// au_infer: distributed ensemble inference. Rank 0 hands the test videos out (largest first),
// each rank runs them through the ensemble au_select chose, fills frames without a face,
// smooths and thresholds per AU; rank 0 writes both ABAW submission formats.
//   mpirun -n N au_infer --infer.ensemble spec.json --infer.data DIR --infer.out OUT
#include "common/malloc_tuning.h"
#include "common/options.h"
#include "mpi/run_main.h"
#include "predict/infer_runner.h"

int main(int argc, char** argv) {
  au::keepFreedMemoryForReuse();
  au::predict::InferOptions infer;
  au::OptionSet options(
      "au_infer",
      "Runs the ensemble of an au_select spec over test videos scattered across MPI ranks and "
      "writes ABAW submission files (ABAW3 folder and ABAW5 file) and smoothed probabilities.");
  au::predict::describe(options, infer);
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    return au::predict::runInference(infer, world);
  });
}
