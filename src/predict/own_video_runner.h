// au_video's work: a folder of the user's own videos (or images) scattered over MPI ranks
// (rank 0 hands them out, largest file first), each through OwnVideoPredictor and written as
// <stem>.csv atomically by the rank that ran it. A rerun skips files whose CSV exists; a file
// that cannot be read is reported by name and the others go on.
#pragma once

#include <string>

#include "mpi/process_group.h"
#include "predict/compute_options.h"
#include "predict/own_video_predictor.h"

namespace au {
class OptionSet;
}

namespace au::predict {

struct VideoRunOptions {
  std::string ensemble;  ///< the spec au_select wrote
  std::string in;        ///< a folder of videos and images, or one file
  std::string out;       ///< the folder of CSV files
  bool overwrite = false;
  std::string crops;       ///< when set, each file's aligned faces go to <crops>/<file stem>/
  std::string annotated;   ///< when set, each file with its faces drawn, as <annotated>/<stem>.mp4
  ComputeOptions compute;  ///< --video.device, --video.precision, --video.threads
  OwnVideoOptions video;
};
void describe(OptionSet& options, VideoRunOptions& o);

/// Collective. Returns 0, or 65 when some files could not be read (each named on rank 0).
int runOwnVideos(const VideoRunOptions& options, const mpi::ProcessGroup& group);

}  // namespace au::predict
