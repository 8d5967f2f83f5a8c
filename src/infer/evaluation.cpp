#include "infer/evaluation.h"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "infer/submission.h"
#include "io/annotation_file.h"

namespace au::infer {

Evaluation evaluateSubmission(const std::string& submission, const std::string& annotations,
                              const std::vector<std::string>& videos) {
  const auto submitted = readSubmission(submission);
  std::map<std::string, const VideoSubmission*> by_name;
  for (const auto& v : submitted) by_name[v.video] = &v;
  std::vector<const VideoSubmission*> chosen;
  if (videos.empty()) {
    for (const auto& v : submitted) chosen.push_back(&v);
  } else {
    for (const auto& name : videos) {
      const auto it = by_name.find(name);
      if (it == by_name.end())
        throw DataError(submission, 0, "has no predictions for video " + name);
      chosen.push_back(it->second);
    }
  }
  Evaluation e;
  metrics::AuCounts counts;
  for (const auto* v : chosen) {
    const std::string truth_path = annotations + "/" + v->video + ".txt";
    if (!std::filesystem::exists(truth_path))
      throw DataError(truth_path, 0, "no annotation file for submitted video " + v->video);
    const auto truth = io::readAnnotationFile(truth_path);
    if (truth.size() != v->frames.size())
      throw DataError(truth_path, 0,
                      std::to_string(truth.size()) + " annotated frames, but the submission has " +
                          std::to_string(v->frames.size()) + " for " + v->video);
    for (size_t i = 0; i < truth.size(); ++i) metrics::accumulate(counts, truth[i], v->frames[i]);
    ++e.videos;
    e.frames += static_cast<int64_t>(truth.size());
  }
  e.scores = metrics::score(counts);
  return e;
}

std::string evaluationJson(const Evaluation& e) {
  nlohmann::ordered_json j;
  j["mean_f1"] = e.scores.mean_f1;
  j["mean_f1_our"] = e.scores.mean_f1_our;
  j["all_ones_mean_f1"] = metrics::allOnesScores(e.scores.counts).mean_f1;  // the baseline
  j["videos"] = e.videos;
  j["frames"] = e.frames;
  j["frames_compared"] = e.scores.frames_compared;
  j["entries_skipped"] = e.scores.entries_skipped;
  for (int a = 0; a < io::kNumAus; ++a) {
    const auto& c = e.scores.counts;
    j["aus"][io::kAuNames[a]] = {{"f1", e.scores.f1[a]},   {"f1_our", e.scores.f1_our[a]},
                                 {"tp", c.tp[a]},          {"fp", c.fp[a]},
                                 {"fn", c.fn[a]},          {"tn", c.tn[a]},
                                 {"skipped", c.skipped[a]}};
  }
  return j.dump(1) + "\n";
}

}  // namespace au::infer
