// Who is who across frames: each face of a frame joins the track whose last box it overlaps
// most, or starts a new one, so a person keeps one face_id through a video. A track unseen for
// a few frames is kept, so a face that returns to where it was keeps its id.
#pragma once

#include <vector>

#include "faces/face_types.h"

namespace au::faces {

struct TrackerOptions {
  float min_overlap = 0.3f;  ///< a face joins a track only when their boxes overlap this much
  int max_lost = 30;         ///< frames a track may go unseen before it is forgotten
};

struct Track {
  int id = 0;    ///< the face_id, from 0 in the order tracks start
  Box box;       ///< where the face was last seen
  int lost = 0;  ///< frames since then (0: seen in the last frame)
};

class FaceTracker {
 public:
  explicit FaceTracker(const TrackerOptions& options = {}) : options_(options) {}
  /// The face_id of each face of the next frame, in the faces' order. Pairs of face and track
  /// are taken greatest overlap first (ties: earlier face, then older track), so the result
  /// depends only on the boxes.
  std::vector<int> update(const std::vector<DetectedFace>& faces);
  /// The tracks alive now (seen within max_lost frames), oldest first.
  const std::vector<Track>& tracks() const { return tracks_; }

 private:
  TrackerOptions options_;
  std::vector<Track> tracks_;
  int next_id_ = 0;
};

}  // namespace au::faces
