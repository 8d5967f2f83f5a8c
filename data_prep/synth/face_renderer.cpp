#include "synth/face_renderer.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "synth/face_canvas.h"
#include "synth/face_drawer.h"
#include "synth/image_finish.h"
#include "synth/scene_background.h"

namespace au::synth {

cv::Mat renderFace(const FaceIdentity& identity, const FacePose& pose, const AuIntensity& au,
                   uint64_t noise_seed, int size) {
  AU_CHECK(size >= 16, "face size ", size, " too small");
  cv::Mat image(size, size, CV_8UC3);
  drawBackground(image, identity);
  const PoseMapping mapping(pose, size / kCanonicalSize, Point2d(0, 0));
  FaceCanvas canvas(image, mapping);
  FaceDrawer(identity, au, canvas).draw();
  finishImage(image, identity, {ShadedFace{&identity, mapping, jawDrop(au)}}, noise_seed);
  return image;
}

cv::Rect sceneFaceRect(int index, int count, int width, int height) {
  AU_CHECK(count >= 1 && index >= 0 && index < count, "face ", index, " of ", count);
  const int side =
      count == 1 ? static_cast<int>(std::lround(0.62 * height))
                 : static_cast<int>(std::lround(std::min(0.8 * width / count, 0.56 * height)));
  const double centre_x = width * (index + 0.5) / count;
  const double centre_y = height * 0.46;
  return cv::Rect(static_cast<int>(std::lround(centre_x - side / 2.0)),
                  static_cast<int>(std::lround(centre_y - side / 2.0)), side, side);
}

cv::Mat renderScene(const std::vector<SceneFace>& faces, uint64_t noise_seed, int width,
                    int height) {
  AU_CHECK(!faces.empty() && faces.size() <= 4, "renderScene takes 1..4 faces, got ", faces.size());
  AU_CHECK(width >= 32 && height >= 32, "scene size ", width, "x", height);
  cv::Mat image(height, width, CV_8UC3);
  drawBackground(image, faces.front().identity);
  std::vector<ShadedFace> shaded;
  const int count = static_cast<int>(faces.size());
  for (int i = 0; i < count; ++i) {
    const cv::Rect rect = sceneFaceRect(i, count, width, height);
    const PoseMapping mapping(faces[i].pose, rect.width / kCanonicalSize, Point2d(rect.x, rect.y));
    FaceCanvas canvas(image, mapping);
    FaceDrawer(faces[i].identity, faces[i].au, canvas).draw();
    shaded.push_back(ShadedFace{&faces[i].identity, mapping, jawDrop(faces[i].au)});
  }
  finishImage(image, faces.front().identity, shaded, noise_seed);
  return image;
}

}  // namespace au::synth
