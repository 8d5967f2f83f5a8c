#include "predict/own_video_predictor.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "common/error.h"
#include "common/progress.h"
#include "faces/crop_writer.h"
#include "faces/video_reader.h"
#include "infer/openface_csv.h"
#include "infer/video_postprocess.h"

namespace au::predict {
namespace {

using Clock = std::chrono::steady_clock;

// One face in one frame, as found; its probabilities come back from the ensemble later.
struct Sighting {
  int frame = 0;
  int face_id = 0;
  float score = 0;
  faces::Box box;
};

// Rows of one face track over its span (first to last sighting): its probabilities filled,
// smoothed and thresholded like a challenge video's; frames inside the span where the face was
// not found get success 0 and zeros, as OpenFace writes them. `track` holds the indices of its
// sightings, in frame order.
void trackRows(int face_id, const std::vector<size_t>& track, const std::vector<Sighting>& seen,
               const std::vector<infer::FrameProbabilities>& probs,
               const std::vector<double>& timestamps, const infer::EnsembleSpec& spec,
               std::vector<infer::FaceRow>& rows) {
  if (track.empty()) return;
  const int first = seen[track.front()].frame;
  const auto span = static_cast<size_t>(seen[track.back()].frame - first + 1);
  std::vector<infer::FrameProbabilities> sequence(span);
  std::vector<bool> present(span, false);
  std::vector<const Sighting*> sighting(span, nullptr);
  for (const size_t i : track) {
    const auto at = static_cast<size_t>(seen[i].frame - first);
    sequence[at] = probs[i];
    present[at] = true;
    sighting[at] = &seen[i];
  }
  const auto smoothed = infer::postprocessVideo(std::move(sequence), present, spec);
  for (size_t at = 0; at < span; ++at) {
    infer::FaceRow row;
    row.frame = first + static_cast<int>(at);
    row.face_id = face_id;
    row.timestamp = timestamps[static_cast<size_t>(row.frame - 1)];
    if (const Sighting* s = sighting[at]) {
      row.success = true;
      row.confidence = s->score;
      row.probabilities = smoothed[at];
      row.decided = infer::decideAus(smoothed[at], spec);
      row.box_x = s->box.x, row.box_y = s->box.y;
      row.box_width = s->box.width, row.box_height = s->box.height;
    }
    rows.push_back(row);
  }
}

}  // namespace

OwnVideoPredictor::OwnVideoPredictor(EnsembleModel& model, const infer::EnsembleSpec& spec,
                                     const OwnVideoOptions& options)
    : model_(model), spec_(spec), options_(options) {
  if (model.needsReference())
    AU_THROW(UsageError,
             "a model of this ensemble takes a video reference face, which the own-video path "
             "does not compute yet; choose an ensemble of models without one");
  AU_CHECK(options.batch >= 1, "batch must be at least 1");
  detector_ = std::make_unique<faces::RetinaFaceDetector>(options.detector);
}

OwnVideoPredictor::~OwnVideoPredictor() = default;

OwnVideoResult OwnVideoPredictor::predict(const std::string& path,
                                          const std::function<void()>& between_batches,
                                          const std::string& crops) {
  faces::VideoReader reader(path);
  faces::FaceFinder finder(*detector_, options_.finder);
  if (!crops.empty()) std::filesystem::create_directories(crops);
  const faces::Landmarks target = faces::alignmentTemplate(options_.alignment);
  const int size = options_.alignment.size;
  const torch::Tensor batch = torch::empty({options_.batch, size, size, 3}, torch::kUInt8);
  const int64_t crop_bytes = int64_t{size} * size * 3;
  int64_t filled = 0;
  std::vector<Sighting> seen;
  std::vector<infer::FrameProbabilities> probs;  // one per sighting, in order
  std::vector<double> timestamps;
  const auto flush = [&] {
    if (filled == 0) return;
    const auto t0 = Clock::now();
    const auto p = model_.predict(batch.narrow(0, 0, filled));
    times_.forward += secondsSince(t0);
    probs.insert(probs.end(), p.begin(), p.end());
    filled = 0;
    between_batches();
  };
  OwnVideoResult result;
  while (true) {
    auto t0 = Clock::now();
    if (!reader.next()) break;
    times_.decode += secondsSince(t0);
    timestamps.push_back(reader.timestampSeconds());
    t0 = Clock::now();
    const auto found = finder.next(reader.frame());
    times_.detect += secondsSince(t0);
    t0 = Clock::now();
    for (const faces::FoundFace& f : found) {
      uint8_t* crop = batch.data_ptr<uint8_t>() + filled * crop_bytes;
      faces::warpFace(reader.frame(), faces::similarityTransform(f.face.landmarks, target), size,
                      crop);
      if (!crops.empty()) {
        char name[48];
        std::snprintf(name, sizeof name, "/%06d_%d.jpg", reader.frameNumber(), f.face_id);
        faces::writeCropJpeg(crops + name, crop, size);
      }
      seen.push_back({reader.frameNumber(), f.face_id, f.face.score, f.face.box});
      result.face_ids = std::max(result.face_ids, f.face_id + 1);
      if (++filled == options_.batch) {
        times_.warp += secondsSince(t0);
        flush();
        t0 = Clock::now();
      }
    }
    times_.warp += secondsSince(t0);
  }
  flush();
  result.frames = static_cast<int>(timestamps.size());
  result.face_frames = static_cast<int>(seen.size());

  const auto t0 = Clock::now();
  std::vector<infer::FaceRow> rows;
  std::vector<std::vector<size_t>> tracks(static_cast<size_t>(result.face_ids));
  for (size_t i = 0; i < seen.size(); ++i)
    tracks[static_cast<size_t>(seen[i].face_id)].push_back(i);
  for (int id = 0; id < result.face_ids; ++id)
    trackRows(id, tracks[static_cast<size_t>(id)], seen, probs, timestamps, spec_, rows);
  // Every frame has a row: one no track spans gets face 0's, with success 0.
  std::vector<bool> covered(timestamps.size(), false);
  for (const auto& r : rows) covered[static_cast<size_t>(r.frame - 1)] = true;
  for (size_t i = 0; i < covered.size(); ++i)
    if (!covered[i]) {
      infer::FaceRow row;
      row.frame = static_cast<int>(i + 1);
      row.timestamp = timestamps[i];
      rows.push_back(row);
    }
  std::stable_sort(rows.begin(), rows.end(), [](const infer::FaceRow& a, const infer::FaceRow& b) {
    return a.frame != b.frame ? a.frame < b.frame : a.face_id < b.face_id;
  });
  result.csv = infer::openFaceCsv(rows);
  times_.postprocess += secondsSince(t0);
  return result;
}

}  // namespace au::predict
