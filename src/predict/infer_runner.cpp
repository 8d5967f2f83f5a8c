#include "predict/infer_runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/failpoint.h"
#include "common/log.h"
#include "common/options.h"
#include "common/progress.h"
#include "data/shard_verification.h"
#include "infer/prediction_output.h"
#include "infer/submission.h"
#include "infer/test_videos.h"
#include "io/shard_manifest.h"
#include "mpi/work_dispatcher.h"
#include "predict/ensemble_model.h"
#include "predict/video_predictor.h"

namespace au::predict {

void describe(OptionSet& options, InferOptions& o) {
  options.add("infer.ensemble", &o.ensemble, "ensemble spec written by au_select");
  options.add(
      "infer.data", &o.data,
      "the test faces: au_prep's shard folder (holds manifest.json) or a cropped_aligned folder "
      "(<video>/%05d.jpg)");
  options.add("infer.split", &o.split, "split of the shards to predict (shards only)");
  options.add("infer.verify_shards", &o.verify_shards,
              "shards only: first check the split's shards against the CRC-32C in manifest.json "
              "(the ranks share the reading; a damaged shard stops the run, named)");
  options.add("infer.videos", &o.videos,
              "test list, one video per line (default: every video of --infer.data)");
  options.add("infer.template", &o.test_template,
              "organisers' ABAW5+ template (image_location rows): the submission's video order and "
              "frame counts");
  options.add("infer.out", &o.out, "output folder: abaw3/, submission.csv, probabilities.csv");
  options.add("infer.batch", &o.batch, "frames per forward pass");
  describe(options, "infer", o.compute);
  options.add("infer.cuda_graph", &o.cuda_graph,
              "GPU: replay the forward passes of each batch size as a CUDA graph (a last, smaller "
              "batch is padded)");
  options.addCheck([&o] {
    if (o.ensemble.empty() || o.data.empty() || o.out.empty())
      AU_THROW(UsageError, "--infer.ensemble, --infer.data and --infer.out are required");
    if (o.batch < 1 || o.batch > 1 << 20)
      AU_THROW(UsageError, "--infer.batch must be in 1..1048576");
  });
}

namespace {

using Clock = std::chrono::steady_clock;

// A video's result travels to rank 0 as bytes: faces, dropped, N, N x 12 floats.
std::string encode(const VideoPrediction& p) {
  const int header[3] = {p.faces, p.dropped, static_cast<int>(p.probs.size())};
  std::string out(reinterpret_cast<const char*>(header), sizeof header);
  out.append(reinterpret_cast<const char*>(p.probs.data()),
             p.probs.size() * sizeof(infer::FrameProbabilities));
  return out;
}
VideoPrediction decode(const std::string& bytes) {
  int header[3];
  AU_CHECK(bytes.size() >= sizeof header, "a video result of ", bytes.size(), " bytes");
  std::memcpy(header, bytes.data(), sizeof header);
  VideoPrediction p;
  p.faces = header[0];
  p.dropped = header[1];
  p.probs.resize(static_cast<size_t>(header[2]));
  AU_CHECK(bytes.size() == sizeof header + p.probs.size() * sizeof(infer::FrameProbabilities),
           "a truncated video result");
  std::memcpy(p.probs.data(), bytes.data() + sizeof header,
              p.probs.size() * sizeof(infer::FrameProbabilities));
  return p;
}

// The plan travels from rank 0 as text: "template_order\n" then "<frames> <name>\n" per video.
std::string encodePlan(const infer::TestVideoPlan& plan) {
  std::string out = std::to_string(plan.template_order ? 1 : 0) + "\n";
  for (const auto& v : plan.videos) out += std::to_string(v.frames) + " " + v.name + "\n";
  return out;
}
infer::TestVideoPlan decodePlan(const std::string& bytes) {
  std::istringstream in(bytes);
  infer::TestVideoPlan plan;
  int order = 0;
  in >> order;
  plan.template_order = order != 0;
  infer::TestVideo v;
  while (in >> v.frames && in.get() == ' ' && std::getline(in, v.name)) plan.videos.push_back(v);
  return plan;
}

void reportMismatches(const infer::TestVideoPlan& plan, const std::string& template_path) {
  if (plan.mismatches.empty()) return;
  log::warn(plan.mismatches.size(), " videos have another frame count in ", template_path,
            " than in the frames (the template's count is used):");
  for (size_t i = 0; i < plan.mismatches.size() && i < 20; ++i) log::warn("  ", plan.mismatches[i]);
  if (plan.mismatches.size() > 20) log::warn("  and ", plan.mismatches.size() - 20, " more");
}

// Rank 0 alone reads the lists and counts the frames (a folder listing per video), so that
// every rank works from the same plan; a rank's own listing would only be needed per video.
// Collective.
infer::TestVideoPlan agreeOnPlan(const InferOptions& o, const infer::FrameSource& source,
                                 const mpi::ProcessGroup& group) {
  infer::TestVideoPlan plan;
  std::string plan_bytes;
  if (group.isRoot()) {
    plan = infer::loadTestVideoPlan(o.videos, o.test_template, &source);
    reportMismatches(plan, o.test_template);
    plan_bytes = encodePlan(plan);
  }
  group.broadcast(plan_bytes);
  if (!group.isRoot()) plan = decodePlan(plan_bytes);
  return plan;
}

// Largest first, so that the long videos do not come last and leave ranks idle.
std::vector<size_t> largestFirst(const infer::TestVideoPlan& plan) {
  std::vector<size_t> order(plan.videos.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return plan.videos[a].frames > plan.videos[b].frames;
  });
  return order;
}

// Each rank's time, in seconds: inside videos, and predict()'s breakdown of it.
struct RankTimes {
  double busy = 0;  // the rest of a rank's time is waiting for work or idle
  PredictTimes predict;
};

// Collective: the videos handed out over the ranks; rank 0 gets every video's encoded result,
// in `order`.
std::vector<std::string> predictVideos(const infer::TestVideoPlan& plan,
                                       const std::vector<size_t>& order, int64_t total_frames,
                                       VideoPredictor& predictor, const mpi::ProcessGroup& group,
                                       RankTimes& times) {
  ProgressMeter progress("frames", total_frames, 10);
  int64_t frames_done = 0, videos_done = 0;
  auto results = mpi::dispatchWork(
      group, static_cast<int>(order.size()),
      [&](int item, const std::function<void()>& serve) {
        const infer::TestVideo& v = plan.videos[order[static_cast<size_t>(item)]];
        const auto video_start = Clock::now();
        try {
          AU_FAILPOINT("infer.video", {"rank", group.rank()}, {"video", v.name});
          std::string bytes = encode(predictor.predict(v.name, v.frames, serve));
          times.busy += secondsSince(video_start);
          return bytes;
        } catch (const Error& e) {
          throw Error("video " + v.name + ": " + e.what(), e.exitCode());
        } catch (const std::exception& e) {
          throw Error("video " + v.name + ": " + e.what());
        }
      },
      [&](int item, const std::string&) {
        frames_done += plan.videos[order[static_cast<size_t>(item)]].frames;
        if (++videos_done == static_cast<int64_t>(order.size()) || progress.due())
          log::info("videos ", videos_done, "/", order.size(), ", ", progress.report(frames_done));
      });
  times.predict = predictor.times();
  return results;
}

// Rank 0: the submission files, written and checked in a staging folder, then moved into place
// (a failure leaves the previous outputs). Returns the frames that had a face.
int64_t writeOutputs(const InferOptions& o, const infer::EnsembleSpec& spec,
                     const infer::TestVideoPlan& plan, const std::vector<size_t>& order,
                     const std::vector<std::string>& results, infer::OutputPaths& paths) {
  std::vector<infer::VideoProbabilities> videos(plan.videos.size());
  int64_t faces = 0, dropped = 0;
  for (size_t item = 0; item < order.size(); ++item) {
    VideoPrediction p = decode(results[item]);
    const infer::TestVideo& v = plan.videos[order[item]];
    AU_CHECK(p.probs.size() == static_cast<size_t>(v.frames), "video ", v.name, ": ",
             p.probs.size(), " frames came back, ", v.frames, " expected");
    faces += p.faces;
    dropped += p.dropped;
    videos[order[item]] = {v.name, std::move(p.probs)};
  }
  const std::string staging = infer::stagingFolder(o.out);
  infer::OutputPaths staged;
  try {
    staged = infer::writePredictions(staging, videos, spec);
  } catch (...) {
    // E.g. a full disk: nothing half-written stays behind (the first error is the one to tell).
    try {
      removeTree(staging);
    } catch (const Error&) {
    }
    throw;
  }
  std::vector<std::string> names;
  std::map<std::string, int> counts;
  for (const auto& v : plan.videos) {
    names.push_back(v.name);
    counts[v.name] = v.frames;
  }
  const auto problems = infer::checkSubmission(staged.abaw5, names, counts, plan.template_order);
  for (const auto& p : problems) log::error("submission check: ", p);
  AU_CHECK(problems.empty(), "the written submission failed its own check (left in ", staging, ")");
  paths = infer::publishPredictions(staging, o.out);
  if (dropped > 0)
    log::warn(
        dropped,
        " face images are numbered outside 1..N of their video and are not in the submission");
  return faces;
}

// Rank 0: where the ranks' time went (summed over ranks), the benchmark's share outside the
// forward passes. Rank 0 ends last (it waits for every result), so its wall time is the job's.
void reportTimes(double wall, const std::vector<double>& times, double write_s, int ranks) {
  const auto share = [rank_s = wall * ranks](double s) {
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%", 100 * s / rank_s);
    return std::string(text);
  };
  log::info("time of ", ranks, " ranks x ", static_cast<int>(wall * 1000), " ms: forward passes ",
            share(times[1]), ", waiting for frames ", share(times[2]), ", filling and smoothing ",
            share(times[3]), ", other work on videos ",
            share(times[0] - times[1] - times[2] - times[3]),
            ", waiting for work or idle at the end ", share(wall * ranks - times[0]),
            "; writing on rank 0 ", static_cast<int>(write_s * 1000), " ms");
}

}  // namespace

int runInference(const InferOptions& o, const mpi::ProcessGroup& group) {
  const auto [device, precision, threads, fold_batchnorm] = setUpCompute(o.compute, "infer", group);
  const infer::EnsembleSpec spec = infer::readSpec(o.ensemble);
  infer::verifyChecksums(spec, o.ensemble);
  EnsembleModel model(spec, {device, precision, fold_batchnorm, o.cuda_graph ? o.batch : 0});

  if (o.verify_shards && std::filesystem::exists(o.data + "/manifest.json"))
    data::verifyShards(io::readShardManifest(o.data), {o.split}, group);
  const auto source = infer::openFrameSource(o.data, o.split);
  const infer::TestVideoPlan plan = agreeOnPlan(o, *source, group);
  const std::vector<size_t> order = largestFirst(plan);
  int64_t total_frames = 0;
  for (const auto& v : plan.videos) total_frames += v.frames;
  log::root(plan.videos.size(), " videos, ", total_frames, " frames from ", source->describe(),
            " on ", group.size(), " ranks x ", threads, " threads; ", model.numModels(),
            " distinct models on ", device.str(), " (", precision.name, ")");

  VideoPredictor predictor(*source, model, spec, static_cast<int>(o.batch));
  RankTimes rank_times;
  const auto start = Clock::now();
  const auto results = predictVideos(plan, order, total_frames, predictor, group, rank_times);
  const double wall = secondsSince(start);
  std::vector<double> times{rank_times.busy, rank_times.predict.forward,
                            rank_times.predict.read_wait, rank_times.predict.postprocess};
  group.allreduceSum(times);

  if (group.isRoot()) {
    const auto write_start = Clock::now();
    infer::OutputPaths paths;
    const int64_t faces = writeOutputs(o, spec, plan, order, results, paths);
    reportTimes(wall, times, secondsSince(write_start), group.size());
    log::info("wrote ", paths.abaw3, "/ (ABAW3), ", paths.abaw5, " (ABAW5), ", paths.probabilities,
              ": ", plan.videos.size(), " videos, ", total_frames, " frames (", faces,
              " with a face, ", total_frames - faces, " filled); submission check ok");
  }
  group.barrier();
  return 0;
}

}  // namespace au::predict
