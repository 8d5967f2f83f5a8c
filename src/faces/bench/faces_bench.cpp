// au_bench_faces: frames/s of the own-video path's face stages on one core (decoding, finding
// and tracking faces, warping them), and what searching the whole frame only every k frames
// costs in accuracy: faces and landmarks against searching every frame. Frames are scaled to a
// set size first (640x360 by default), outside the timings except decoding's.
//   au_bench_faces --bench.video ../shared/testdata/real/WolfgangLanger_Pexels.mp4
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "common/error.h"
#include "common/options.h"
#include "common/progress.h"
#include "common/run_program.h"
#include "faces/face_alignment.h"
#include "faces/face_finder.h"
#include "faces/retinaface_detector.h"
#include "faces/video_reader.h"

namespace {

using Clock = std::chrono::steady_clock;
using au::faces::FoundFace;

struct Accuracy {
  long long reference = 0, matched = 0, extra = 0;
  double error = 0;  // sum over matched faces of mean landmark distance / eye distance
};

// Faces found against those of the reference (the whole frame searched on every frame),
// matched by box overlap.
void compare(const std::vector<FoundFace>& found, const std::vector<FoundFace>& reference,
             Accuracy& a) {
  a.reference += static_cast<long long>(reference.size());
  std::vector<bool> used(found.size(), false);
  for (const FoundFace& r : reference) {
    for (size_t i = 0; i < found.size(); ++i) {
      if (used[i] || au::faces::overlap(found[i].face.box, r.face.box) < 0.5f) continue;
      used[i] = true;
      ++a.matched;
      const auto& lr = r.face.landmarks;
      const double eyes = std::hypot(lr[1].x - lr[0].x, lr[1].y - lr[0].y);
      double sum = 0;
      for (size_t k = 0; k < 5; ++k)
        sum += std::hypot(found[i].face.landmarks[k].x - lr[k].x,
                          found[i].face.landmarks[k].y - lr[k].y);
      a.error += sum / 5 / std::max(eyes, 1.0);
      break;
    }
  }
  for (const bool u : used) a.extra += u ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  au::OptionSet options("au_bench_faces",
                        "Measures the face stages of au_video on one core (BENCHMARKS.md).");
  std::string video;
  int width = 640, height = 360;
  std::vector<int> every{1, 5, 10, 15};
  int repeat = 3;
  au::faces::FaceFinderOptions finder_defaults;
  au::faces::RetinaFaceOptions detector_options;
  detector_options.model = AU_DEFAULT_FACE_DETECTOR;
  options.add("bench.video", &video, "the video to measure on");
  options.add("bench.width", &width, "frames are scaled to this width ...");
  options.add("bench.height", &height, "... and this height");
  options.add("bench.every", &every, "whole-frame searches every k frames, for each k listed");
  options.add("bench.repeat", &repeat, "runs of each measurement; the fastest counts");
  options.add("faces.detector", &detector_options.model, "RetinaFace ONNX file");
  options.add("faces.image_size", &detector_options.image_size, "whole-frame search size");
  options.add("faces.region_size", &detector_options.region_size, "region search size");
  options.add("faces.region_scale", &finder_defaults.region_scale, "region: box side x this");
  return au::runProgram(argc, argv, options, [&] {
    cv::setNumThreads(1);
    AU_CHECK(!video.empty(), "--bench.video is required");
    au::faces::VideoReader reader(video);
    std::vector<cv::Mat> frames;
    double decode_s = 0;
    int native_width = 0, native_height = 0;
    for (auto t0 = Clock::now(); reader.next(); t0 = Clock::now()) {
      const au::faces::ImageView f = reader.frame();
      decode_s += au::secondsSince(t0);
      native_width = f.width, native_height = f.height;
      cv::Mat scaled;
      cv::resize(cv::Mat(f.height, f.width, CV_8UC3, const_cast<uint8_t*>(f.data), f.stride),
                 scaled, cv::Size(width, height), 0, 0, cv::INTER_AREA);
      frames.push_back(scaled);
    }
    AU_CHECK(!frames.empty(), video, ": no frame decoded");
    const double n = static_cast<double>(frames.size());
    const auto view = [](const cv::Mat& m) {
      return au::faces::ImageView{m.data, m.cols, m.rows, m.step[0]};
    };
    au::faces::RetinaFaceDetector detector(detector_options);
    std::printf("%s: %zu frames of %dx%d scaled to %dx%d; decoding %.0f frames/s (at %dx%d)\n\n",
                video.c_str(), frames.size(), native_width, native_height, width, height,
                n / decode_s, native_width, native_height);
    std::printf(
        "| whole frame every | faces (find + track), frames/s | warp, frames/s | "
        "decode + faces + warp, frames/s | faces found / every-frame search | extra "
        "| landmark error / eye distance |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    // The reference: the whole frame searched on every frame, nothing tracked.
    std::vector<std::vector<FoundFace>> reference;
    double reference_s = 1e30;
    for (int r = 0; r < repeat; ++r) {
      reference.clear();
      const auto t0 = Clock::now();
      for (const cv::Mat& frame : frames) {
        std::vector<FoundFace> faces;
        for (const auto& f : detector.detect(view(frame), 0.9f)) faces.push_back({0, f});
        reference.push_back(faces);
      }
      reference_s = std::min(reference_s, au::secondsSince(t0));
    }
    std::printf("| whole frame only, every frame | %.1f | | | 1 | 0 | 0 |\n", n / reference_s);
    const au::faces::Landmarks target = au::faces::alignmentTemplate({});
    std::vector<uint8_t> crop(112 * 112 * 3);
    for (const int k : every) {
      au::faces::FaceFinderOptions finder_options = finder_defaults;
      finder_options.detect_every = k;
      std::vector<std::vector<FoundFace>> found;
      double find_s = 1e30, warp_s = 1e30;
      for (int r = 0; r < repeat; ++r) {
        au::faces::FaceFinder finder(detector, finder_options);
        found.clear();
        auto t0 = Clock::now();
        for (const cv::Mat& frame : frames) found.push_back(finder.next(view(frame)));
        find_s = std::min(find_s, au::secondsSince(t0));
        t0 = Clock::now();
        for (size_t i = 0; i < frames.size(); ++i)
          for (const FoundFace& f : found[i])
            au::faces::warpFace(view(frames[i]),
                                au::faces::similarityTransform(f.face.landmarks, target), 112,
                                crop.data());
        warp_s = std::min(warp_s, au::secondsSince(t0));
      }
      Accuracy a;
      for (size_t i = 0; i < frames.size(); ++i) compare(found[i], reference[i], a);
      std::printf("| %d | %.1f | %.0f | %.1f | %.3f | %lld | %.4f |\n", k, n / find_s, n / warp_s,
                  n / (decode_s + find_s + warp_s),
                  a.reference ? static_cast<double>(a.matched) / a.reference : 1.0, a.extra,
                  a.matched ? a.error / a.matched : 0.0);
    }
    return 0;
  });
}
