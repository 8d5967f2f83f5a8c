#include "faces/opencv_threads.h"

#include <opencv2/core/utility.hpp>

namespace au::faces {

void setOpenCvThreads(int threads) { cv::setNumThreads(threads); }

}  // namespace au::faces
