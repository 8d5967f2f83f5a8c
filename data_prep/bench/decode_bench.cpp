// au_bench_decode: the pure JPEG decode rate of a dataset's face crops (read file + decode +
// RGB, exactly au_prep's decode path, no HDF5), for comparison with au_prep's frames/s.
// Under MPI each rank decodes every size-th frame and reports its own rate. With --bench.write
// it also writes the decoded pixels to a plain file, 4 frames per write(2): the floor for any
// tool that stores decoded pixels, HDF5 or not.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <vector>

#include "common/error.h"
#include "common/log.h"
#include "common/options.h"
#include "common/progress.h"
#include "io/face_image.h"
#include "io/frame_folder.h"
#include "io/shard_schema.h"
#include "mpi/run_main.h"

int main(int argc, char** argv) {
  au::OptionSet options(
      "au_bench_decode",
      "Decodes every face crop of a dataset in a loop and reports frames/s per rank.");
  std::string frames_root = "data/synthetic/cropped_aligned";
  std::string write_to;
  options.add("bench.frames", &frames_root, "cropped_aligned folder to decode");
  options.add("bench.write", &write_to,
              "also write the pixels to this file (+ rank number), then fsync");
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    std::vector<std::string> paths;
    std::vector<std::string> videos;
    for (const auto& e : std::filesystem::directory_iterator(frames_root))
      videos.push_back(e.path().filename().string());
    std::sort(videos.begin(), videos.end());
    for (const auto& v : videos)
      for (int n : au::io::listFrameNumbers(frames_root + "/" + v))
        paths.push_back(au::io::framePath(frames_root, v, n));
    constexpr int64_t kFramesPerWrite = 4;
    std::vector<uint8_t> rgb(static_cast<size_t>(kFramesPerWrite * au::io::shard::kImageBytes));
    const std::string out_path =
        write_to.empty() ? "" : write_to + "." + std::to_string(world.rank());
    const int fd =
        out_path.empty() ? -1 : ::open(out_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
    AU_CHECK(out_path.empty() || fd >= 0, "cannot create ", out_path);
    world.barrier();
    au::ProgressMeter clock("frames", static_cast<int64_t>(paths.size()));
    int64_t decoded = 0;
    for (size_t i = static_cast<size_t>(world.rank()); i < paths.size();
         i += static_cast<size_t>(world.size())) {
      uint8_t* slot = rgb.data() + (decoded % kFramesPerWrite) * au::io::shard::kImageBytes;
      if (au::io::readFaceImage(paths[i], slot).status != au::io::FaceImageStatus::kOk) continue;
      ++decoded;
      if (fd >= 0 && decoded % kFramesPerWrite == 0)
        AU_CHECK(::write(fd, rgb.data(), rgb.size()) == static_cast<ssize_t>(rgb.size()),
                 "write failed");
    }
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
      ::unlink(out_path.c_str());
    }
    const double seconds = clock.elapsedSeconds();
    au::log::info("decoded ", decoded, " frames in ", seconds, " s (", decoded / seconds,
                  " frames/s), peak RSS ", au::peakRssBytes() / (1024 * 1024), " MiB");
    return 0;
  });
}
