// The per-video CSV of the own-video path, in OpenFace 2's layout so that readers of OpenFace
// output (py-feat's read_openface, pandas code written for OpenFace's column names) read it:
// frame, face_id, timestamp, confidence, success, then AU01_c ... AU26_c (0/1) for our 12 AUs,
// then their probabilities AU01_p ... AU26_p and the face's box. Like OpenFace, the header's
// names are separated by ", " and the rows by ",".
#pragma once

#include <string>
#include <vector>

#include "infer/sequence_filling.h"
#include "infer/submission.h"

namespace au::infer {

struct FaceRow {
  int frame = 0;                       ///< 1 for the video's first frame
  int face_id = 0;                     ///< the face track, from 0
  double timestamp = 0;                ///< seconds
  float confidence = 0;                ///< the detector's score (0 where the face was not found)
  bool success = false;                ///< the face was found in this frame
  FramePrediction decided{};           ///< 0/1 per AU (0 where not found)
  FrameProbabilities probabilities{};  ///< smoothed (0 where not found)
  float box_x = 0, box_y = 0, box_width = 0, box_height = 0;  ///< pixels
};

/// "AU01", "AU02", ... "AU26": OpenFace's two-digit names of our 12 AUs, in our order.
std::string openFaceAuName(int au);
/// The header line (no newline).
std::string openFaceCsvHeader();
/// The whole file: the header and one line per row, in the rows' order.
std::string openFaceCsv(const std::vector<FaceRow>& rows);

}  // namespace au::infer
