#include "infer/infer_runner.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/log.h"
#include "common/options.h"
#include "common/progress.h"
#include "data/shard_dataset.h"
#include "infer/ensemble_model.h"
#include "infer/submission.h"
#include "infer/work_dispatcher.h"
#include "io/shard_manifest.h"
#include "io/shard_schema.h"
#include "io/video_list.h"

namespace au::infer {

void describe(OptionSet& options, InferOptions& o) {
  options.add("infer.ensemble", &o.ensemble, "ensemble spec written by au_select");
  options.add("infer.shards", &o.shards, "shard folder written by au_prep (holds manifest.json)");
  options.add("infer.split", &o.split, "split of the shards to predict");
  options.add("infer.videos", &o.videos, "test list, one video per line (default: every video of the split)");
  options.add("infer.out", &o.out, "output folder: abaw3/, submission.csv, probabilities.csv");
  options.add("infer.batch", &o.batch, "frames per forward pass");
  options.add("infer.device", &o.device, "auto, cpu or cuda (the GPU of the node-local rank)");
  options.add("infer.precision", &o.precision, "auto (bf16 on CUDA, fp32 on CPU), fp32, bf16 or fp16 (CUDA)");
  options.add("infer.threads", &o.threads, "intra-op threads per rank (0: the node's cores / its ranks)");
  options.addCheck([&o] {
    if (o.ensemble.empty() || o.shards.empty() || o.out.empty())
      AU_THROW(UsageError, "--infer.ensemble, --infer.shards and --infer.out are required");
    if (o.batch < 1) AU_THROW(UsageError, "--infer.batch must be positive");
    if (o.precision != "auto" && o.precision != "fp32" && o.precision != "bf16" && o.precision != "fp16")
      AU_THROW(UsageError, "--infer.precision must be auto, fp32, bf16 or fp16");
  });
}

namespace {

struct VideoWork {
  std::string name;
  int frames = 0;                 ///< N: frames 1..N (from the manifest: annotation rows or test frames)
  std::vector<int64_t> samples;   ///< dataset samples (frames with a face), in frame order
};

struct VideoResult {
  std::vector<FrameProbabilities> probs;  ///< smoothed, N frames (rank 0 applies the thresholds)
};

// Probabilities of every frame of one video, filled and smoothed per AU. Depends on
// the video alone (fixed batches from its first frame), never on the rank that runs it.
VideoResult processVideo(const VideoWork& v, const data::ShardDataset& dataset, EnsembleModel& model,
                         const EnsembleSpec& spec, int64_t batch, const std::function<void()>& serve) {
  std::vector<FrameProbabilities> sequence(static_cast<size_t>(v.frames));
  std::vector<bool> present(sequence.size(), false);
  for (size_t begin = 0; begin < v.samples.size(); begin += static_cast<size_t>(batch)) {
    const size_t end = std::min(v.samples.size(), begin + static_cast<size_t>(batch));
    std::vector<int64_t> chunk(v.samples.begin() + static_cast<long>(begin), v.samples.begin() + static_cast<long>(end));
    torch::Tensor images = torch::empty({static_cast<int64_t>(chunk.size()), io::shard::kImageSize,
                                         io::shard::kImageSize, io::shard::kChannels}, torch::kUInt8);
    dataset.readImages(chunk, images.data_ptr<uint8_t>()).get();
    const auto probs = model.predict(images);
    for (size_t i = 0; i < chunk.size(); ++i) {
      const int frame = dataset.frame(chunk[i]);
      if (frame < 1 || frame > v.frames)
        AU_THROW(Error, "video ", v.name, ": frame ", frame, " outside 1..", v.frames);
      sequence[static_cast<size_t>(frame - 1)] = probs[i];
      present[static_cast<size_t>(frame - 1)] = true;
    }
    serve();
  }
  fillMissing(sequence, present, parseFillMode(spec.fill));
  VideoResult r;
  r.probs = sequence;
  std::map<int, std::vector<FrameProbabilities>> smoothed;
  for (int a = 0; a < io::kNumAus; ++a) {
    const int w = spec.aus[a].window;
    if (!smoothed.count(w)) {
      smoothed[w] = sequence;
      smoothMovingAverage(smoothed[w], w);
    }
    for (size_t i = 0; i < sequence.size(); ++i) r.probs[i][a] = smoothed[w][i][a];
  }
  return r;
}

// Results travel to rank 0 as bytes: item, N, N x 12 floats.
void appendResult(std::string& out, int item, const VideoResult& r) {
  const int n = static_cast<int>(r.probs.size());
  out.append(reinterpret_cast<const char*>(&item), sizeof item);
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out.append(reinterpret_cast<const char*>(r.probs.data()), r.probs.size() * sizeof(FrameProbabilities));
}

}  // namespace

int runInference(const InferOptions& o, const mpi::ProcessGroup& group) {
  torch::set_num_threads(o.threads > 0 ? o.threads
                                       : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / group.localSize()));
  const EnsembleSpec spec = readSpec(o.ensemble);
  const bool gpu = o.device != "cpu" && torch::cuda::is_available();
  if (o.device == "cuda" && !gpu) AU_THROW(UsageError, "--infer.device cuda, but no CUDA GPU is visible");
  const torch::Device device = gpu ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(
                                                                     group.localRank() % torch::cuda::device_count()))
                                   : torch::Device(torch::kCPU);
  const std::string precision = o.precision == "auto" ? (gpu ? "bf16" : "fp32") : o.precision;
  if (precision == "fp16" && !gpu) AU_THROW(UsageError, "--infer.precision fp16 needs a CUDA device");
  EnsembleModel model(spec, device, precision != "fp32", precision == "fp16" ? torch::kFloat16 : torch::kBFloat16);

  const auto manifest = io::readShardManifest(o.shards);
  data::DatasetSelection selection;
  selection.splits = {o.split};
  selection.labelled_only = false;
  const data::ShardDataset dataset(manifest, selection);
  std::vector<std::string> names;
  if (!o.videos.empty()) {
    names = io::readVideoList(o.videos);
  } else {
    for (const auto& shard : manifest.shards)
      if (shard.split == o.split) names.insert(names.end(), shard.videos.begin(), shard.videos.end());
  }
  std::map<std::string, VideoWork> by_name;
  for (const auto& name : names) {
    const auto it = manifest.videos.find(name);
    if (it == manifest.videos.end() || it->second.split != o.split)
      throw DataError(o.videos.empty() ? o.shards + "/manifest.json" : o.videos, 0,
                      "video " + name + " is not in the " + o.split + " shards of " + o.shards);
    by_name[name] = {name, it->second.frames, {}};
  }
  for (int64_t s = 0; s < dataset.size(); ++s) {
    const auto it = by_name.find(dataset.videoNames()[static_cast<size_t>(dataset.video(s))]);
    if (it != by_name.end()) it->second.samples.push_back(s);
  }
  // Largest first, so the long videos do not come last and leave ranks idle.
  std::vector<const VideoWork*> work;
  for (const auto& [name, v] : by_name) work.push_back(&v);
  std::stable_sort(work.begin(), work.end(), [](const VideoWork* a, const VideoWork* b) { return a->frames > b->frames; });
  int64_t total_frames = 0;
  for (const auto* v : work) total_frames += v->frames;
  log::root(work.size(), " videos, ", total_frames, " frames (", dataset.size(), " with a face) on ", group.size(),
            " ranks; ", model.numModels(), " distinct models on ", device.str(), " (", precision, ")");

  std::string mine;
  ProgressMeter progress("frames", total_frames, 10);
  int64_t done_here = 0;  // rank 0's own share; other ranks' progress is not sent while running
  dispatchWork(group, static_cast<int>(work.size()), [&](int item, const std::function<void()>& serve) {
    const VideoWork& v = *work[static_cast<size_t>(item)];
    try {
      appendResult(mine, item, processVideo(v, dataset, model, spec, o.batch, serve));
    } catch (const Error& e) {
      throw Error("video " + v.name + ": " + e.what(), e.exitCode());
    }
    done_here += v.frames;
    if (group.isRoot() && progress.due())
      log::info("rank 0 has done ", done_here, " of the ", total_frames, " frames (", group.size(),
                " ranks share them); ", progress.report(done_here));
  });

  const auto parts = group.gather(mine);
  if (group.isRoot()) {
    std::map<std::string, VideoResult> results;
    for (const auto& part : parts) {
      size_t pos = 0;
      while (pos < part.size()) {
        int item = 0, n = 0;
        std::memcpy(&item, part.data() + pos, sizeof item);
        std::memcpy(&n, part.data() + pos + sizeof item, sizeof n);
        pos += sizeof item + sizeof n;
        VideoResult r;
        r.probs.resize(static_cast<size_t>(n));
        std::memcpy(r.probs.data(), part.data() + pos, r.probs.size() * sizeof(FrameProbabilities));
        pos += r.probs.size() * sizeof(FrameProbabilities);
        results[work[static_cast<size_t>(item)]->name] = std::move(r);
      }
    }
    std::vector<VideoSubmission> submission;
    std::string csv = "video,frame";
    for (const auto& au : io::kAuNames) csv += ",prob_" + au;
    csv += "\n";
    char cell[32];
    for (const auto& name : names) {
      auto& r = results.at(name);
      VideoSubmission s{name, {}};
      for (size_t i = 0; i < r.probs.size(); ++i) {
        FramePrediction p{};
        csv += name + "," + std::to_string(i + 1);
        for (int a = 0; a < io::kNumAus; ++a) {
          p[a] = r.probs[i][a] >= spec.aus[a].threshold;
          std::snprintf(cell, sizeof cell, ",%.9g", static_cast<double>(r.probs[i][a]));
          csv += cell;
        }
        csv += "\n";
        s.frames.push_back(p);
      }
      submission.push_back(std::move(s));
    }
    std::filesystem::create_directories(o.out);
    writeAbaw3(o.out + "/abaw3", submission);
    writeAbaw5(o.out + "/submission.csv", submission);
    writeFileAtomic(o.out + "/probabilities.csv", csv);
    std::map<std::string, int> counts;
    for (const auto& [name, v] : by_name) counts[name] = v.frames;
    const auto problems = checkSubmission(o.out + "/submission.csv", names, counts);
    for (const auto& p : problems) log::error("submission check: ", p);
    AU_CHECK(problems.empty(), "the written submission failed its own check");
    log::info("wrote ", o.out, "/abaw3/ (ABAW3), ", o.out, "/submission.csv (ABAW5), ", o.out,
              "/probabilities.csv; submission check: ", names.size(), " videos, ", total_frames, " frames, ok");
  }
  group.barrier();
  return 0;
}

}  // namespace au::infer
