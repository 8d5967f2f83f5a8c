// How many threads OpenCV's own parallel loops (the DNN module's convolutions, resizes, warps)
// use in this process. A process-wide setting: MPI ranks that share a node set their share.
#pragma once

namespace au::faces {

void setOpenCvThreads(int threads);

}  // namespace au::faces
