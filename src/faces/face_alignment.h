// Warping a face onto the standard 5-point template (insightface's ArcFace template for 112x112
// crops): the similarity transform (rotation, uniform scale, shift) that puts the detected
// landmarks nearest the template in least squares, and the warp itself.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "faces/face_types.h"

namespace au::faces {

struct AlignmentOptions {
  int size = 112;    ///< the crop's side in pixels (the shards' images are 112x112)
  float margin = 0;  ///< extra border: the template shrinks about the crop's centre by 1 + margin
  /// Another template: x1,y1,...,x5,y5 in a 112x112 crop, in the landmarks' order (empty:
  /// insightface's ArcFace template).
  std::vector<double> points;
};

/// A 2x3 affine matrix, row-major: x' = m[0] x + m[1] y + m[2], y' = m[3] x + m[4] y + m[5].
using Affine = std::array<double, 6>;

/// The five template points for a crop of the options' size and margin. Throws UsageError for
/// `points` that are not 10 numbers.
Landmarks alignmentTemplate(const AlignmentOptions& options);

/// The similarity transform taking `from` nearest to `to` in least squares (Umeyama's solution
/// without reflection; closed form in 2-D).
Affine similarityTransform(const Landmarks& from, const Landmarks& to);

Point transformPoint(const Affine& transform, const Point& p);

/// The face, warped by `transform` into a size x size RGB crop at `out_rgb` (the shards' channel
/// order); pixels from outside the image are black.
void warpFace(const ImageView& image, const Affine& transform, int size, uint8_t* out_rgb);

}  // namespace au::faces
