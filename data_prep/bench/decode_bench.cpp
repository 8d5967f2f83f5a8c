// au_bench_decode: the pure JPEG decode rate of a dataset's face crops (read file + decode +
// RGB, exactly au_prep's decode path, no HDF5), for comparison with au_prep's frames/s.
// Under MPI each rank decodes every size-th frame and reports its own rate.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <vector>

#include "common/log.h"
#include "common/options.h"
#include "common/progress.h"
#include "io/face_image.h"
#include "io/frame_folder.h"
#include "io/shard_schema.h"
#include "mpi/run_main.h"

int main(int argc, char** argv) {
  au::OptionSet options("au_bench_decode", "Decodes every face crop of a dataset in a loop and reports frames/s per rank.");
  std::string frames_root = "data/synthetic/cropped_aligned";
  options.add("bench.frames", &frames_root, "cropped_aligned folder to decode");
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    std::vector<std::string> paths;
    std::vector<std::string> videos;
    for (const auto& e : std::filesystem::directory_iterator(frames_root)) videos.push_back(e.path().filename().string());
    std::sort(videos.begin(), videos.end());
    for (const auto& v : videos)
      for (int n : au::io::listFrameNumbers(frames_root + "/" + v)) paths.push_back(au::io::framePath(frames_root, v, n));
    std::vector<uint8_t> rgb(static_cast<size_t>(au::io::shard::kImageBytes));
    world.barrier();
    au::ProgressMeter clock("frames", static_cast<int64_t>(paths.size()));
    int64_t decoded = 0;
    for (size_t i = static_cast<size_t>(world.rank()); i < paths.size(); i += static_cast<size_t>(world.size())) {
      if (au::io::readFaceImage(paths[i], rgb.data()).status == au::io::FaceImageStatus::kOk) ++decoded;
    }
    const double seconds = clock.elapsedSeconds();
    au::log::info("decoded ", decoded, " frames in ", seconds, " s (", decoded / seconds,
                  " frames/s), peak RSS ", au::peakRssBytes() / (1024 * 1024), " MiB");
    return 0;
  });
}
