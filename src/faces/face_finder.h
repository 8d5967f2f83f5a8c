// The faces of a video, frame by frame, each with its face_id: the whole frame is searched every
// `detect_every` frames (for faces that arrive), and in between only a region around each
// tracked face (a smaller, faster search that also gives that frame's landmarks). A face starts
// a track only at a confident score; a tracked face is followed down to a lower one.
#pragma once

#include <vector>

#include "faces/face_detector.h"
#include "faces/face_tracker.h"

namespace au::faces {

struct FaceFinderOptions {
  int detect_every = 10;           ///< whole-frame searches every this many frames (1: every frame)
  float new_face_score = 0.9f;     ///< a face must score this to start a track
  float track_score = 0.5f;        ///< a tracked face is kept down to this score
  float region_scale = 2.0f;       ///< a tracked face's search region: its box's longer side x this
  float duplicate_overlap = 0.5f;  ///< two finds overlapping more than this are one face
  TrackerOptions tracker;
};

struct FoundFace {
  int face_id = 0;
  DetectedFace face;
};

class FaceFinder {
 public:
  FaceFinder(FaceDetector& detector, const FaceFinderOptions& options);
  /// The faces of the next frame of the video, ordered by face_id.
  std::vector<FoundFace> next(const ImageView& frame);
  /// Detector calls so far: whole frames and regions (for the benchmark's breakdown).
  long long wholeSearches() const { return whole_searches_; }
  long long regionSearches() const { return region_searches_; }

 private:
  FaceDetector& detector_;
  FaceFinderOptions options_;
  FaceTracker tracker_;
  long long frame_ = 0, whole_searches_ = 0, region_searches_ = 0;
};

}  // namespace au::faces
