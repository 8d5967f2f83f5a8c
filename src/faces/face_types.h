// What the own-video path passes between its stages: an image in memory, a face's box, score and
// five landmarks. Plain structs, so that headers need no OpenCV.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace au::faces {

/// A point in pixels, x right and y down, the centre of the top-left pixel at (0, 0) as in
/// OpenCV.
struct Point {
  float x = 0, y = 0;
};

/// An axis-aligned box in pixels: top-left corner and size.
struct Box {
  float x = 0, y = 0, width = 0, height = 0;
  float right() const { return x + width; }
  float bottom() const { return y + height; }
  float area() const { return width > 0 && height > 0 ? width * height : 0.0f; }
};

/// Intersection over union of two boxes (0 when they do not overlap).
float overlap(const Box& a, const Box& b);

/// The five landmarks in RetinaFace's and ArcFace's order: the eye on the image's left, the eye
/// on the image's right, the nose tip, the mouth corner on the image's left, then on its right.
using Landmarks = std::array<Point, 5>;

/// A face found in an image.
struct DetectedFace {
  Box box;
  float score = 0;  ///< the detector's confidence, 0-1
  Landmarks landmarks;
};

/// A view of an 8-bit BGR image (OpenCV's channel order) that someone else owns.
struct ImageView {
  const uint8_t* data = nullptr;
  int width = 0, height = 0;
  size_t stride = 0;  ///< bytes from one row to the next
  bool empty() const { return data == nullptr || width <= 0 || height <= 0; }
};

}  // namespace au::faces
