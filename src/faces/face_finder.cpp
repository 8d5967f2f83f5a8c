#include "faces/face_finder.h"

#include <algorithm>

#include "common/error.h"

namespace au::faces {

FaceFinder::FaceFinder(FaceDetector& detector, const FaceFinderOptions& options)
    : detector_(detector), options_(options), tracker_(options.tracker) {
  if (options.detect_every < 1)
    AU_THROW(UsageError, "detect_every must be at least 1, not ", options.detect_every);
  if (!(options.track_score <= options.new_face_score))
    AU_THROW(UsageError, "the tracking score (", options.track_score,
             ") must not exceed the new-face score (", options.new_face_score, ")");
}

std::vector<FoundFace> FaceFinder::next(const ImageView& frame) {
  std::vector<DetectedFace> finds;
  const std::vector<Track> tracks = tracker_.tracks();
  for (const Track& t : tracks) {
    const float side = std::max(t.box.width, t.box.height) * options_.region_scale;
    const float cx = t.box.x + t.box.width / 2, cy = t.box.y + t.box.height / 2;
    const auto found =
        detector_.detect(frame, options_.track_score, {cx - side / 2, cy - side / 2, side, side});
    ++region_searches_;
    finds.insert(finds.end(), found.begin(), found.end());
  }
  if (frame_++ % options_.detect_every == 0) {
    const auto found = detector_.detect(frame, options_.new_face_score);
    ++whole_searches_;
    finds.insert(finds.end(), found.begin(), found.end());
  }
  // One face found twice (two regions, or a region and the whole frame): the better find stays.
  std::stable_sort(finds.begin(), finds.end(),
                   [](const DetectedFace& a, const DetectedFace& b) { return a.score > b.score; });
  std::vector<DetectedFace> faces;
  for (const DetectedFace& f : finds) {
    const bool duplicate = std::any_of(faces.begin(), faces.end(), [&](const DetectedFace& kept) {
      return overlap(kept.box, f.box) > options_.duplicate_overlap;
    });
    // Below the new-face score, only a face that continues a track counts.
    const bool continues = std::any_of(tracks.begin(), tracks.end(), [&](const Track& t) {
      return overlap(t.box, f.box) >= options_.tracker.min_overlap;
    });
    if (!duplicate && (f.score >= options_.new_face_score || continues)) faces.push_back(f);
  }
  const std::vector<int> ids = tracker_.update(faces);
  std::vector<FoundFace> out;
  for (size_t i = 0; i < faces.size(); ++i) out.push_back({ids[i], faces[i]});
  std::sort(out.begin(), out.end(),
            [](const FoundFace& a, const FoundFace& b) { return a.face_id < b.face_id; });
  return out;
}

}  // namespace au::faces
