#include "faces/face_types.h"

#include <algorithm>

namespace au::faces {

float overlap(const Box& a, const Box& b) {
  const float w = std::min(a.right(), b.right()) - std::max(a.x, b.x);
  const float h = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0.0f;
  const float inter = w * h;
  return inter / (a.area() + b.area() - inter);
}

}  // namespace au::faces
