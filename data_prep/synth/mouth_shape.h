// Lip outlines of one face at one expression: the corner-to-corner curves of both lips and the
// gap between them, in canonical units (internal to the renderer).
#pragma once

#include <array>
#include <vector>

#include "synth/face_canvas.h"

namespace au::synth {

// AU intensities clamped to [0, 1].
using ClampedAus = std::array<double, kNumAus>;

// Each lip edge is sampled at the same x positions, from the left corner (s = -1) through the
// centre (s = 0) to the right corner (s = 1).
struct MouthShape {
  double half_width = 0;  // centre to each corner
  double opening = 0;     // gap between the lips at the centre
  std::vector<double> x;
  std::vector<double> upper_top, upper_bottom;  // red upper lip: outer edge, edge at the gap
  std::vector<double> lower_top, lower_bottom;  // red lower lip: edge at the gap, outer edge

  // The points (x[i], ys[i]) with |s| <= clip, left to right or (reverse) right to left.
  std::vector<Point2d> outline(const std::vector<double>& ys, double clip = 1.0,
                               bool reverse = false) const;
  // The polygon between two edges: `top` left to right, then `bottom` back, both within clip.
  std::vector<Point2d> band(const std::vector<double>& top, const std::vector<double>& bottom,
                            double clip = 1.0) const;
};

// `jaw_drop` moves the chin; `lip_jaw_drop` is how far it moves the lower lip.
MouthShape shapeMouth(const FaceIdentity& identity, const ClampedAus& au, double jaw_drop,
                      double lip_jaw_drop);

}  // namespace au::synth
