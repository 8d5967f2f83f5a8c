// au_bench_allreduce: what waiting under the rank watch costs a large allreduce. Alternates a
// blocking MPI_Allreduce with the watched one (MPI_Iallreduce polled by RankWatch::wait, as
// every collective now runs) on the same in-place float buffer, and prints on rank 0
// "allreduce <ranks> <MB> <blocking ms> <watched ms> <watched / blocking>" (medians).
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "common/options.h"
#include "mpi/process_group.h"
#include "mpi/rank_watch.h"
#include "mpi/run_main.h"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  au::OptionSet options("au_bench_allreduce",
                        "Times a blocking against a watched MPI allreduce (see BENCHMARKS.md).");
  double megabytes = 65;
  int reps = 10;
  options.add("bench.mb", &megabytes, "buffer size in MB (floats)");
  options.add("bench.reps", &reps, "timed repetitions of each kind");
  return au::mpi::runMain(argc, argv, options, [&](au::mpi::ProcessGroup& world) {
    std::vector<float> buffer(static_cast<size_t>(megabytes * 1e6 / sizeof(float)), 1.0f);
    MPI_Comm comm = *static_cast<MPI_Comm*>(world.nativeHandle());
    const int count = static_cast<int>(buffer.size());
    std::vector<double> blocking, watched;
    for (int r = 0; r <= reps; ++r) {  // the first round warms up
      for (int kind = 0; kind < 2; ++kind) {
        world.barrier();
        const auto start = std::chrono::steady_clock::now();
        if (kind == 0) {
          MPI_Allreduce(MPI_IN_PLACE, buffer.data(), count, MPI_FLOAT, MPI_SUM, comm);
        } else {
          MPI_Request request;
          MPI_Iallreduce(MPI_IN_PLACE, buffer.data(), count, MPI_FLOAT, MPI_SUM, comm, &request);
          world.watch().wait(&request, "MPI_Allreduce");
        }
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        std::fill(buffer.begin(), buffer.end(), 1.0f);
        if (r > 0) (kind == 0 ? blocking : watched).push_back(ms);
      }
    }
    if (world.isRoot())
      std::printf("allreduce %d %.1f %.2f %.2f %.3f\n", world.size(), megabytes, median(blocking),
                  median(watched), median(watched) / median(blocking));
    return 0;
  });
}
