#include "predict/own_video_predictor.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/error.h"
#include "common/progress.h"
#include "data/video_reference.h"
#include "faces/annotated_writer.h"
#include "faces/crop_writer.h"
#include "faces/video_reader.h"
#include "infer/openface_csv.h"
#include "infer/video_postprocess.h"
#include "io/au_names.h"

namespace au::predict {
namespace {

using Clock = std::chrono::steady_clock;

// One face in one frame, as the first pass found it; later passes warp it again from this.
struct Sighting {
  int frame = 0;
  int face_id = 0;
  float score = 0;
  faces::Box box;
  faces::Affine transform;  // the frame onto the alignment template
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

// What the first pass found in a file.
struct Found {
  std::vector<Sighting> seen;      // in frame order, then in the finder's order
  std::vector<double> timestamps;  // one per decoded frame
  int face_ids = 0;
};

// The passes over one file: find and track the faces; for models that take a video reference
// face, warp each track's picks again and take their median; warp every face again and run the
// ensemble. Faces are found once, so every pass sees the same sightings; a file that decodes
// fewer frames the second time is an error.
class FilePasses {
 public:
  FilePasses(EnsembleModel& model, faces::FaceDetector& detector, const OwnVideoOptions& options,
             OwnVideoTimes& times)
      : model_(model), detector_(detector), options_(options), times_(times) {}
  Found findFaces(const std::string& path, const std::function<void()>& between);
  /// Per face_id, its reference face (data::medianImage of data::referencePicks of its
  /// sightings, as a challenge video's over its frames), also written as
  /// <crops_dir>/reference_<face_id>.png when crops_dir is set.
  std::vector<std::vector<uint8_t>> trackReferences(const std::string& path, const Found& found,
                                                    const std::function<void()>& between,
                                                    const std::string& crops_dir);
  /// The file again, every frame with its found faces' boxes, face_ids and active AUs drawn,
  /// written to `out` (faces/annotated_writer.h).
  void annotate(const std::string& path, const std::vector<infer::FaceRow>& rows,
                const std::string& out, const std::function<void()>& between);
  /// Per sighting, the ensemble's probabilities.
  std::vector<infer::FrameProbabilities> runEnsemble(
      const std::string& path, const Found& found,
      const std::vector<std::vector<uint8_t>>& references, const std::function<void()>& between,
      const std::string& crops);

 private:
  void replay(const std::string& path, const Found& found,
              const std::function<void(const faces::ImageView&, const Sighting&)>& each_sighting,
              const std::function<void()>& between);

  EnsembleModel& model_;
  faces::FaceDetector& detector_;
  const OwnVideoOptions& options_;
  OwnVideoTimes& times_;
};

// The frames of `path` again, up to the last one with a face, each with the sightings the first
// pass made in it.
void FilePasses::replay(
    const std::string& path, const Found& found,
    const std::function<void(const faces::ImageView&, const Sighting&)>& each_sighting,
    const std::function<void()>& between) {
  faces::VideoReader reader(path);
  size_t next = 0;
  while (next < found.seen.size()) {
    const auto t0 = Clock::now();
    if (!reader.next())
      throw DataError(path, 0,
                      "decoded fewer frames than before (" + std::to_string(reader.frameNumber()) +
                          "): the file changed while it was being read");
    times_.decode += secondsSince(t0);
    for (; next < found.seen.size() && found.seen[next].frame == reader.frameNumber(); ++next)
      each_sighting(reader.frame(), found.seen[next]);
    if (reader.frameNumber() % options_.batch == 0) between();
  }
}

Found FilePasses::findFaces(const std::string& path, const std::function<void()>& between) {
  faces::VideoReader reader(path);
  faces::FaceFinder finder(detector_, options_.finder);
  const faces::Landmarks target = faces::alignmentTemplate(options_.alignment);
  Found found;
  while (true) {
    auto t0 = Clock::now();
    if (!reader.next()) break;
    times_.decode += secondsSince(t0);
    found.timestamps.push_back(reader.timestampSeconds());
    t0 = Clock::now();
    for (const faces::FoundFace& f : finder.next(reader.frame())) {
      found.seen.push_back({reader.frameNumber(), f.face_id, f.face.score, f.face.box,
                            faces::similarityTransform(f.face.landmarks, target)});
      found.face_ids = std::max(found.face_ids, f.face_id + 1);
    }
    times_.detect += secondsSince(t0);
    // Rank 0 answers work requests in every pass: finding a long video's faces takes minutes.
    if (reader.frameNumber() % options_.batch == 0) between();
  }
  return found;
}

std::vector<std::vector<uint8_t>> FilePasses::trackReferences(const std::string& path,
                                                              const Found& found,
                                                              const std::function<void()>& between,
                                                              const std::string& crops_dir) {
  const int size = options_.alignment.size;
  const auto crop_bytes = static_cast<size_t>(size) * size * 3;
  // Each sighting's place among its track's picks (data::referenceSlots over the track's
  // sightings, as over a challenge video's frames), or -1; and each track's last picked sighting.
  std::vector<std::vector<size_t>> tracks(static_cast<size_t>(found.face_ids));
  for (size_t i = 0; i < found.seen.size(); ++i)
    tracks[static_cast<size_t>(found.seen[i].face_id)].push_back(i);
  std::vector<int64_t> slot(found.seen.size(), -1);
  std::vector<size_t> picks(tracks.size(), 0);
  std::vector<size_t> last_pick(tracks.size(), 0);
  for (size_t id = 0; id < tracks.size(); ++id) {
    const auto slots = data::referenceSlots(static_cast<int64_t>(tracks[id].size()));
    for (size_t k = 0; k < slots.size(); ++k) {
      if (slots[k] < 0) continue;
      slot[tracks[id][k]] = slots[k];
      last_pick[id] = tracks[id][k];
      ++picks[id];
    }
  }
  // A track's picks are held from its first pick to its last, then reduced to their median: what
  // is held grows with the tracks that overlap in time, not with the video's length.
  std::vector<std::vector<uint8_t>> picked(tracks.size()), references(tracks.size());
  size_t i = 0;  // replay() hands the sightings over in found.seen's order
  replay(
      path, found,
      [&](const faces::ImageView& frame, const Sighting& s) {
        const size_t at = i++;
        if (slot[at] < 0) return;
        const auto t0 = Clock::now();
        const auto id = static_cast<size_t>(s.face_id);
        auto& track = picked[id];
        if (track.empty()) track.resize(picks[id] * crop_bytes);
        faces::warpFace(frame, s.transform, size,
                        track.data() + static_cast<size_t>(slot[at]) * crop_bytes);
        if (at == last_pick[id]) {
          references[id] =
              data::medianImage(track.data(), static_cast<int64_t>(picks[id]), crop_bytes);
          std::vector<uint8_t>().swap(track);
          if (!crops_dir.empty())
            faces::writeCropImage(crops_dir + "/reference_" + std::to_string(id) + ".png",
                                  references[id].data(), size);
        }
        times_.warp += secondsSince(t0);
      },
      between);
  for (size_t id = 0; id < tracks.size(); ++id)
    AU_CHECK(tracks[id].empty() || !references[id].empty(), "face ", id, " got no reference");
  return references;
}

std::vector<infer::FrameProbabilities> FilePasses::runEnsemble(
    const std::string& path, const Found& found,
    const std::vector<std::vector<uint8_t>>& references, const std::function<void()>& between,
    const std::string& crops) {
  const int size = options_.alignment.size;
  const int64_t crop_bytes = int64_t{size} * size * 3;
  const torch::Tensor batch = torch::empty({options_.batch, size, size, 3}, torch::kUInt8);
  torch::Tensor batch_references;  // each face's track reference, for models that take one
  if (!references.empty())
    batch_references = torch::empty({options_.batch, size, size, 3}, torch::kUInt8);
  std::vector<infer::FrameProbabilities> probs;  // one per sighting, in order
  probs.reserve(found.seen.size());
  int64_t filled = 0;
  const auto flush = [&] {
    if (filled == 0) return;
    const auto t0 = Clock::now();
    const auto p = model_.predict(
        batch.narrow(0, 0, filled),
        batch_references.defined() ? batch_references.narrow(0, 0, filled) : torch::Tensor());
    times_.forward += secondsSince(t0);
    probs.insert(probs.end(), p.begin(), p.end());
    filled = 0;
    between();
  };
  replay(
      path, found,
      [&](const faces::ImageView& frame, const Sighting& s) {
        const auto t0 = Clock::now();
        uint8_t* crop = batch.data_ptr<uint8_t>() + filled * crop_bytes;
        faces::warpFace(frame, s.transform, size, crop);
        if (batch_references.defined())
          std::memcpy(batch_references.data_ptr<uint8_t>() + filled * crop_bytes,
                      references[static_cast<size_t>(s.face_id)].data(),
                      static_cast<size_t>(crop_bytes));
        if (!crops.empty()) {
          char name[48];
          std::snprintf(name, sizeof name, "/%06d_%d.jpg", s.frame, s.face_id);
          faces::writeCropImage(crops + name, crop, size);
        }
        times_.warp += secondsSince(t0);
        if (++filled == options_.batch) flush();
      },
      between);
  flush();
  return probs;
}

// "face 2", then the AUs decided active, four to a line.
std::vector<std::string> labelLines(const infer::FaceRow& row) {
  std::vector<std::string> lines = {"face " + std::to_string(row.face_id)};
  std::string line;
  int on_line = 0;
  for (int a = 0; a < io::kNumAus; ++a) {
    if (!row.decided[static_cast<size_t>(a)]) continue;
    line += (on_line ? " " : "") + io::kAuNames[static_cast<size_t>(a)];
    if (++on_line == 4) {
      lines.push_back(line);
      line.clear();
      on_line = 0;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

void FilePasses::annotate(const std::string& path, const std::vector<infer::FaceRow>& rows,
                          const std::string& out, const std::function<void()>& between) try {
  faces::VideoReader reader(path);
  faces::AnnotatedWriter writer(out, reader.fps());
  size_t next = 0;  // rows are in frame order
  while (true) {
    auto t0 = Clock::now();
    if (!reader.next()) break;
    times_.decode += secondsSince(t0);
    t0 = Clock::now();
    std::vector<faces::FaceLabel> labels;
    for (; next < rows.size() && rows[next].frame == reader.frameNumber(); ++next) {
      const infer::FaceRow& r = rows[next];
      if (r.success)
        labels.push_back({{r.box_x, r.box_y, r.box_width, r.box_height}, labelLines(r)});
    }
    writer.write(reader.frame(), labels);
    times_.annotate += secondsSince(t0);
    if (reader.frameNumber() % options_.batch == 0) between();
  }
  writer.finish();
} catch (const DataError&) {
  throw;
} catch (const Error& e) {  // this file's output failed, not the job: name the input
  throw DataError(path, 0, e.what());
}

}  // namespace

OwnVideoPredictor::OwnVideoPredictor(EnsembleModel& model, const infer::EnsembleSpec& spec,
                                     const OwnVideoOptions& options)
    : model_(model), spec_(spec), options_(options) {
  AU_CHECK(options.batch >= 1, "batch must be at least 1");
  detector_ = std::make_unique<faces::RetinaFaceDetector>(options.detector);
}

OwnVideoPredictor::~OwnVideoPredictor() = default;

OwnVideoResult OwnVideoPredictor::predict(const std::string& path,
                                          const std::function<void()>& between_batches,
                                          const std::string& crops, const std::string& annotated) {
  FilePasses passes(model_, *detector_, options_, times_);
  const Found found = passes.findFaces(path, between_batches);
  std::vector<std::vector<uint8_t>> references;
  if (!crops.empty()) std::filesystem::create_directories(crops);
  if (model_.needsReference())
    references = passes.trackReferences(path, found, between_batches, crops);
  const auto probs = passes.runEnsemble(path, found, references, between_batches, crops);

  OwnVideoResult result;
  result.frames = static_cast<int>(found.timestamps.size());
  result.face_frames = static_cast<int>(found.seen.size());
  result.face_ids = found.face_ids;
  const auto t0 = Clock::now();
  const auto& seen = found.seen;
  const auto& timestamps = found.timestamps;
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
  if (!annotated.empty()) passes.annotate(path, rows, annotated, between_batches);
  return result;
}

}  // namespace au::predict
