#include "prep/prep_runner.h"

#include <deque>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/failpoint.h"
#include "common/log.h"
#include "common/progress.h"
#include "io/manifest_schema.h"
#include "mpi/global_progress.h"
#include "prep/manifest.h"
#include "prep/shard_builder.h"
#include "prep/shard_committer.h"
#include "prep/shard_plan.h"

namespace au::prep {
namespace {

// Rank 0: validates the whole dataset (every annotation row, every frame folder) before any
// shard is written, so bad input stops the job with nothing half-done.
ShardPlan scanAndPlan(const PrepOptions& options, int ranks) {
  std::vector<io::VideoEntry> videos;
  for (const auto& split : io::splitsOf(options.data)) {
    auto found = io::scanSplit(options.data, split);
    int64_t frames = 0, images = 0;
    for (const auto& v : found) {
      frames += v.frames;
      images += v.images;
      // Valid input, but likely a mistake (an export cut short): say so rather than nothing.
      if (v.frames == 0 && !v.annotation_file.empty())
        log::warn(v.annotation_file, ": a header and no rows: video ", v.name,
                  " has no labelled frames (it adds nothing to ", split, ")");
      else if (v.images == 0)
        log::warn("video ", v.name, " (", split, ") has no face image in ",
                  options.data.framesRoot(), "/", v.name,
                  ": all its frames count as without a face");
    }
    log::info(split, ": ", found.size(), " videos, ", frames, " frames, ", images,
              " with an image");
    videos.insert(videos.end(), found.begin(), found.end());
  }
  PlanOptions plan_options;
  plan_options.shard_frames = options.shard_frames;
  plan_options.folds = options.folds;
  plan_options.writer = options.writer;
  ShardPlan plan = makePlan(std::move(videos), plan_options, ranks);
  log::info("plan: ", plan.shards.size(), " shards over ", ranks, " ranks");
  if (static_cast<int>(plan.shards.size()) < ranks)
    log::warn("fewer shards (", plan.shards.size(), ") than ranks (", ranks,
              "): some ranks will idle; lower --prep.shard_frames");
  return plan;
}

}  // namespace

int runPrep(const mpi::ProcessGroup& world, const PrepOptions& options) {
  std::string plan_text;
  if (world.isRoot()) {
    plan_text = planToJson(scanAndPlan(options, world.size()));
    std::filesystem::create_directories(options.out);
  }
  world.broadcast(plan_text);
  const ShardPlan plan = planFromJson(plan_text);

  int64_t total_images = 0;
  for (const auto& shard : plan.shards) total_images += shard.images;
  mpi::GlobalProgress progress(world, "frames", total_images, options.progress_interval_s);
  ProgressMeter clock("frames", total_images);

  int64_t done = 0;     // frames accounted for on this rank (written or reused)
  int64_t written = 0;  // frames decoded and written on this rank
  int reused = 0;
  int64_t resized = 0;
  std::deque<std::pair<size_t, BuildResult>> results;  // plan index, result; stable addresses
  ShardCommitter committer;
  for (size_t i = 0; i < plan.shards.size(); ++i) {
    const PlannedShard& shard = plan.shards[i];
    if (shard.rank != world.rank()) continue;
    const int64_t before = done;
    results.emplace_back(i, buildShard(plan, shard, options, [&](int64_t in_shard) {
                           done = before + in_shard;
                           ++written;
                           progress.update(done);
                           AU_FAILPOINT("prep.frame_written", {"rank", world.rank()},
                                        {"written", written});
                         }));
    BuildResult& result = results.back().second;
    committer.commit(result);
    done = before + shard.images;
    progress.update(done);
    if (result.reused) {
      ++reused;
      log::info(shard.file, ": complete shard from the same plan kept");
    }
    resized += result.resized;
  }
  committer.wait();
  const int64_t all_done = progress.finish(done);
  const double seconds = clock.elapsedSeconds();
  log::info("wrote ", written, " frames in ", seconds, " s (",
            seconds > 0 ? static_cast<double>(written) / seconds : 0.0, " frames/s), kept ", reused,
            " shards, resized ", resized, " images, peak RSS ", peakRssBytes() / (1024 * 1024),
            " MiB");

  nlohmann::json mine = nlohmann::json::array();
  for (const auto& [index, result] : results)
    mine.push_back({{"index", index}, {"summary", summaryToJson(result.summary)}});
  const auto gathered = world.gather(mine.dump());
  if (!world.isRoot()) return 0;
  std::vector<ShardSummary> summaries(plan.shards.size());
  for (const auto& text : gathered)
    for (const auto& item : nlohmann::json::parse(text))
      summaries[item.at("index").get<size_t>()] =
          summaryFromJson(item.at("summary").get<std::string>());
  const std::string manifest = makeManifest(plan, summaries, options);
  const std::string manifest_path = options.out + "/" + io::manifest::kFileName;
  writeFileAtomic(manifest_path, manifest);
  log::info("wrote ", manifest_path, " (", plan.shards.size(), " shards, ", all_done, " frames)");
  std::cout << labelTable(manifest) << std::flush;
  return 0;
}

}  // namespace au::prep
