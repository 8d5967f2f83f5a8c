#include "faces/crop_writer.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/error.h"

namespace au::faces {

void writeCropImage(const std::string& path, const uint8_t* rgb, int size) {
  const cv::Mat image(size, size, CV_8UC3, const_cast<uint8_t*>(rgb));
  cv::Mat bgr;
  cv::cvtColor(image, bgr, cv::COLOR_RGB2BGR);
  if (!cv::imwrite(path, bgr, {cv::IMWRITE_JPEG_QUALITY, 95}))
    AU_THROW(Error, path, ": cannot write the face crop");
}

}  // namespace au::faces
