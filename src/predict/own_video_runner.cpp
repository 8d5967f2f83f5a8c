#include "predict/own_video_runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/exit_codes.h"
#include "common/failpoint.h"
#include "common/log.h"
#include "common/options.h"
#include "common/progress.h"
#include "faces/annotated_writer.h"
#include "faces/opencv_threads.h"
#include "faces/video_reader.h"
#include "mpi/work_dispatcher.h"

namespace au::predict {
namespace fs = std::filesystem;

void describe(OptionSet& options, VideoRunOptions& o) {
  // The file jobs/setup.sh makes in this checkout (CMake passes its path).
  if (o.video.detector.model.empty()) o.video.detector.model = AU_DEFAULT_FACE_DETECTOR;
  options.add("video.ensemble", &o.ensemble, "ensemble spec written by au_select");
  options.add("video.in", &o.in,
              "a folder of videos (.mp4 .mov .avi .mkv .webm and other common containers) and "
              "images (.jpg .jpeg .png .bmp .webp), other files skipped and named; or one file, "
              "tried whatever its extension");
  options.add("video.out", &o.out,
              "folder of the CSV files, one <file stem>.csv per input (<file name>.csv where "
              "inputs share a stem)");
  options.add("video.crops", &o.crops,
              "also write each aligned face as <crops>/<file stem>/<frame>_<face_id>.jpg (to look "
              "at what the ensemble saw; empty: none), and for models that take a video reference "
              "face each track's as reference_<face_id>.png");
  options.add("video.annotated", &o.annotated,
              "also write each input with every face's box, face_id and active AUs drawn, as "
              "<annotated>/<file stem>.mp4 (.jpg for an image; empty: none)");
  options.add("video.overwrite", &o.overwrite,
              "redo inputs whose CSV exists (default: skip them, so a rerun finishes a job)");
  options.add("video.batch", &o.video.batch, "faces per forward pass");
  describe(options, "video", o.compute);
  options.add("faces.detector", &o.video.detector.model,
              "RetinaFace ONNX file (jobs/setup.sh makes it: data_prep/make_face_detector.py)");
  options.add("faces.image_size", &o.video.detector.image_size,
              "a whole frame is searched scaled so its longer side is this many pixels");
  options.add("faces.region_size", &o.video.detector.region_size,
              "a tracked face's region is searched scaled so its longer side is this many pixels");
  options.add("faces.detect_every", &o.video.finder.detect_every,
              "search the whole frame for new faces every this many frames (1: every frame); in "
              "between only around the tracked faces");
  options.add("faces.new_face_score", &o.video.finder.new_face_score,
              "the detector score a face needs to start a face track");
  options.add("faces.track_score", &o.video.finder.track_score,
              "the score down to which a tracked face is followed");
  options.add("faces.region_scale", &o.video.finder.region_scale,
              "a tracked face's search region: its box's longer side times this");
  options.add("faces.min_overlap", &o.video.finder.tracker.min_overlap,
              "box overlap (intersection over union) a face needs to continue a track");
  options.add("faces.max_lost", &o.video.finder.tracker.max_lost,
              "frames a face may go unseen and keep its face_id when it returns");
  options.add("faces.margin", &o.video.alignment.margin,
              "extra border around the aligned face: the 5-point template shrinks by 1 + margin "
              "(0: insightface's ArcFace template, as Aff-Wild2's crops)");
  options.add("faces.template", &o.video.alignment.points,
              "another 5-point template: x1,y1,...,x5,y5 in a 112x112 crop (eyes, nose tip, "
              "mouth corners, each left of the image first; default: insightface's ArcFace)");
  options.addCheck([&o] {
    if (o.ensemble.empty() || o.in.empty() || o.out.empty())
      AU_THROW(UsageError, "--video.ensemble, --video.in and --video.out are required");
    if (o.video.batch < 1) AU_THROW(UsageError, "--video.batch must be at least 1");
    if (!fs::exists(o.in)) AU_THROW(UsageError, "--video.in ", o.in, ": no such file or folder");
  });
}

namespace {

using Clock = std::chrono::steady_clock;

struct InputFile {
  std::string path;
  std::string name;  // what its outputs are called: <out>/<name>.csv, <annotated>/<name>.mp4, ...
  long long bytes = 0;
};

std::string csvPath(const VideoRunOptions& o, const InputFile& f) {
  return (fs::path(o.out) / f.name).string() + ".csv";
}

// Rank 0: the inputs (one file, or a folder's videos and images by extension, the others
// skipped and named), each named by its stem, or by its whole file name where another input
// shares the stem (clip.mp4 and clip.jpg: clip.mp4.csv and clip.jpg.csv).
std::vector<InputFile> listInputs(const VideoRunOptions& o) {
  std::vector<std::string> paths, skipped;
  if (fs::is_regular_file(o.in)) {
    paths.push_back(o.in);  // named on purpose: tried whatever its extension
  } else if (fs::is_directory(o.in)) {
    for (const auto& entry : fs::directory_iterator(o.in)) {
      if (!entry.is_regular_file()) continue;
      const std::string name = entry.path().filename().string();
      if (!name.empty() && name[0] == '.') continue;
      if (faces::VideoReader::isImage(name) || faces::VideoReader::isVideo(name))
        paths.push_back(entry.path().string());
      else
        skipped.push_back(name);
    }
    std::sort(paths.begin(), paths.end());
    std::sort(skipped.begin(), skipped.end());
  } else {
    AU_THROW(UsageError, "--video.in ", o.in, ": no such file or folder");
  }
  if (!skipped.empty()) {
    std::string names;
    for (size_t i = 0; i < skipped.size() && i < 10; ++i) names += (i ? ", " : "") + skipped[i];
    log::warn("skipping ", skipped.size(), " files of ", o.in,
              " that are neither videos nor images by their extension: ", names,
              skipped.size() > 10 ? ", ..." : "");
  }
  std::map<std::string, int> stems;
  for (const auto& path : paths) ++stems[fs::path(path).stem().string()];
  std::vector<InputFile> inputs;
  std::map<std::string, std::string> by_name;
  for (const auto& path : paths) {
    const fs::path p(path);
    const std::string name =
        stems[p.stem().string()] > 1 ? p.filename().string() : p.stem().string();
    auto [at, fresh] = by_name.emplace(name, path);
    if (!fresh)  // a.mp4.mov beside a.mp4 and a.jpg: rare enough to ask for a rename
      AU_THROW(UsageError, path, " and ", at->second, " would both be written as ", name,
               ".csv; rename one");
    inputs.push_back({path, name, static_cast<long long>(fs::file_size(path))});
  }
  return inputs;
}

// CSV files and annotated videos half-written by a rank that was killed (never under a final
// name).
void removeStaleTemporaries(const std::string& folder) {
  if (folder.empty() || !fs::is_directory(folder)) return;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".csv.tmp.") == std::string::npos &&
        !faces::AnnotatedWriter::isTemporary(entry.path().string()))
      continue;
    log::info("removing ", entry.path().string(), ", left by an earlier run");
    fs::remove(entry.path());
  }
}

// The plan travels from rank 0 as JSON, which holds any file name.
std::string encodePlan(const std::vector<InputFile>& inputs) {
  nlohmann::json plan = nlohmann::json::array();
  for (const auto& f : inputs) plan.push_back({f.path, f.name, f.bytes});
  return plan.dump();
}
std::vector<InputFile> decodePlan(const std::string& text) {
  std::vector<InputFile> inputs;
  for (const auto& f : nlohmann::json::parse(text))
    inputs.push_back({f[0].get<std::string>(), f[1].get<std::string>(), f[2].get<long long>()});
  return inputs;
}

// Collective: rank 0 lists the inputs, leaves out those already done, and tells every rank.
std::vector<InputFile> agreeOnPlan(const VideoRunOptions& o, const mpi::ProcessGroup& group,
                                   int& already_done) {
  std::string bytes;
  if (group.isRoot()) {
    removeStaleTemporaries(o.out);
    removeStaleTemporaries(o.annotated);
    std::vector<InputFile> todo;
    already_done = 0;
    for (auto& f : listInputs(o)) {
      if (!o.overwrite && fs::exists(csvPath(o, f)))
        ++already_done;
      else
        todo.push_back(f);
    }
    // Largest first, so that the long videos do not come last and leave ranks idle.
    std::stable_sort(todo.begin(), todo.end(),
                     [](const InputFile& a, const InputFile& b) { return a.bytes > b.bytes; });
    bytes = encodePlan(todo);
  }
  group.broadcast(bytes);
  return decodePlan(bytes);
}

// What a rank sends back for a file: "ok <frames> <faces> <face_ids> <seconds>" or
// "failed <message>".
std::string runOne(const InputFile& f, const VideoRunOptions& o, OwnVideoPredictor& predictor,
                   const std::function<void()>& serve, int rank) {
  const auto start = Clock::now();
  try {
    AU_FAILPOINT("video.file", {"rank", rank}, {"file", fs::path(f.path).filename().string()});
    const std::string crop_dir = o.crops.empty() ? "" : (fs::path(o.crops) / f.name).string();
    const std::string annotated = o.annotated.empty()
                                      ? ""
                                      : (fs::path(o.annotated) / f.name).string() +
                                            (faces::VideoReader::isImage(f.path) ? ".jpg" : ".mp4");
    // The CSV last: a rerun skips a file by its CSV, so what comes before it is complete too.
    const OwnVideoResult r = predictor.predict(f.path, serve, crop_dir, annotated);
    writeFileAtomic(csvPath(o, f), r.csv);
    char text[96];
    std::snprintf(text, sizeof text, "ok %d %d %d %.3f", r.frames, r.face_frames, r.face_ids,
                  secondsSince(start));
    return text;
  } catch (const DataError& e) {
    return std::string("failed ") + e.what();
  }
}

}  // namespace

int runOwnVideos(const VideoRunOptions& o, const mpi::ProcessGroup& group) {
  const auto [device, precision, threads, fold_batchnorm] = setUpCompute(o.compute, "video", group);
  faces::setOpenCvThreads(threads);
  const infer::EnsembleSpec spec = infer::readSpec(o.ensemble);
  infer::verifyChecksums(spec, o.ensemble);
  EnsembleModel model(spec, {device, precision, fold_batchnorm});
  OwnVideoPredictor predictor(model, spec, o.video);
  if (group.isRoot()) {
    fs::create_directories(o.out);
    if (!o.annotated.empty()) fs::create_directories(o.annotated);
  }

  int already_done = 0;
  const std::vector<InputFile> todo = agreeOnPlan(o, group, already_done);
  long long total_bytes = 0;
  for (const auto& f : todo) total_bytes += f.bytes;
  log::root(todo.size(), " files to do (", already_done, " done before, skipped) on ", group.size(),
            " ranks x ", threads, " threads; ", model.numModels(), " distinct models on ",
            device.str(), " (", precision.name, ")");

  ProgressMeter progress("MiB of files", std::max(1LL, total_bytes >> 20), 10);
  long long bytes_done = 0;
  int files_done = 0;
  const auto start = Clock::now();
  const auto results = mpi::dispatchWork(
      group, static_cast<int>(todo.size()),
      [&](int item, const std::function<void()>& serve) {
        return runOne(todo[static_cast<size_t>(item)], o, predictor, serve, group.rank());
      },
      [&](int item, const std::string& result) {
        const InputFile& f = todo[static_cast<size_t>(item)];
        bytes_done += f.bytes;
        if (result.rfind("failed ", 0) == 0) log::error(result.substr(7));
        if (++files_done == static_cast<int>(todo.size()) || progress.due())
          log::info("files ", files_done, "/", todo.size(), ", ",
                    progress.report(bytes_done >> 20));
      });
  const double wall = secondsSince(start);
  const OwnVideoTimes& t = predictor.times();
  long long frames = 0, faces = 0;
  int failed = 0;
  for (const auto& r : results) {  // rank 0 holds them all
    int f = 0, n = 0, ids = 0;
    double s = 0;
    if (std::sscanf(r.c_str(), "ok %d %d %d %lf", &f, &n, &ids, &s) == 4) {
      frames += f;
      faces += n;
    } else {
      ++failed;
    }
  }
  // Every rank learns whether some file failed, so that all end with the same code.
  std::vector<double> times{t.decode,  t.detect,   t.warp,
                            t.forward, t.annotate, static_cast<double>(failed)};
  group.allreduceSum(times);
  if (!group.isRoot()) return times[5] > 0 ? kExitDataError : kExitOk;
  const auto per_rank_fps = [&](double seconds) {
    return seconds > 0 ? static_cast<double>(frames) / seconds * group.size() : 0.0;
  };
  char line[256];
  log::info(
      "| files | done | failed | skipped (done before) | frames | faces | seconds | frames/s |");
  std::snprintf(line, sizeof line, "| %zu | %zu | %d | %d | %lld | %lld | %.1f | %.1f |",
                todo.size() + static_cast<size_t>(already_done),
                todo.size() - static_cast<size_t>(failed), failed, already_done, frames, faces,
                wall, wall > 0 ? static_cast<double>(frames) / wall : 0.0);
  log::info(line);
  std::snprintf(line, sizeof line,
                "per rank, frames/s of each stage alone: decode %.0f, faces (find + track) %.0f, "
                "warp %.0f, ensemble %.0f",
                per_rank_fps(times[0]), per_rank_fps(times[1]), per_rank_fps(times[2]),
                per_rank_fps(times[3]));
  if (!o.annotated.empty()) {
    const size_t used = std::strlen(line);
    std::snprintf(line + used, sizeof line - used, ", annotating %.0f", per_rank_fps(times[4]));
  }
  log::info(line);
  if (failed > 0) {
    log::error(failed, " of ", todo.size(), " files could not be read (named above); the others' ",
               "CSV files are in ", o.out);
    return kExitDataError;
  }
  return kExitOk;
}

}  // namespace au::predict
