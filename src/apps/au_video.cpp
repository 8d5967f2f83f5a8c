// au_video: action units for your own videos. Rank 0 hands the files of a folder out (largest
// first); each rank decodes its file, finds, tracks and aligns the faces, runs them through the
// ensemble au_select chose, fills, smooths and thresholds each face track, and writes an
// OpenFace-style CSV per file. A rerun skips the files already done.
//   mpirun -n N au_video --video.ensemble spec.json --video.in VIDEOS --video.out CSVS
#include "common/malloc_tuning.h"
#include "common/options.h"
#include "mpi/run_main.h"
#include "predict/own_video_runner.h"

int main(int argc, char** argv) {
  au::keepFreedMemoryForReuse();
  au::predict::VideoRunOptions run;
  au::OptionSet options(
      "au_video",
      "Finds the faces in your own videos and images (RetinaFace, tracked, aligned to the "
      "5-point template), runs an au_select ensemble on them and writes one OpenFace-style CSV "
      "per file: frame, face_id, timestamp, confidence, success, AU01_c..AU26_c, "
      "AU01_p..AU26_p, face box.");
  au::predict::describe(options, run);
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    return au::predict::runOwnVideos(run, world);
  });
}
