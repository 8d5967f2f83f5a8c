#include "faces/face_tracker.h"

#include <algorithm>
#include <tuple>

namespace au::faces {

std::vector<int> FaceTracker::update(const std::vector<DetectedFace>& faces) {
  struct Pair {
    float overlap;
    size_t face, track;
  };
  std::vector<Pair> pairs;
  for (size_t f = 0; f < faces.size(); ++f)
    for (size_t t = 0; t < tracks_.size(); ++t) {
      const float o = overlap(faces[f].box, tracks_[t].box);
      if (o >= options_.min_overlap) pairs.push_back({o, f, t});
    }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return std::make_tuple(-a.overlap, a.face, a.track) <
           std::make_tuple(-b.overlap, b.face, b.track);
  });
  std::vector<int> ids(faces.size(), -1);
  std::vector<bool> taken(tracks_.size(), false);
  for (const Pair& p : pairs) {
    if (ids[p.face] >= 0 || taken[p.track]) continue;
    ids[p.face] = tracks_[p.track].id;
    taken[p.track] = true;
    tracks_[p.track].box = faces[p.face].box;
    tracks_[p.track].lost = 0;
  }
  for (size_t t = 0; t < tracks_.size(); ++t)
    if (!taken[t]) ++tracks_[t].lost;
  tracks_.erase(std::remove_if(tracks_.begin(), tracks_.end(),
                               [&](const Track& t) { return t.lost > options_.max_lost; }),
                tracks_.end());
  for (size_t f = 0; f < faces.size(); ++f)
    if (ids[f] < 0) {
      ids[f] = next_id_++;
      tracks_.push_back({ids[f], faces[f].box, 0});
    }
  return ids;
}

}  // namespace au::faces
