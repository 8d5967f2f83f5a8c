#include "infer/prediction_output.h"

#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include "common/atomic_file.h"
#include "infer/submission.h"
#include "infer/video_postprocess.h"

namespace au::infer {

OutputPaths outputPaths(const std::string& out) {
  return {out + "/abaw3", out + "/submission.csv", out + "/probabilities.csv"};
}

OutputPaths writePredictions(const std::string& dir, const std::vector<VideoProbabilities>& videos,
                             const EnsembleSpec& spec) {
  std::vector<VideoSubmission> submission;
  std::string csv = "video,frame";
  for (const auto& au : io::kAuNames) csv += ",prob_" + au;
  csv += "\n";
  char cell[32];
  for (const auto& v : videos) {
    VideoSubmission s{v.video, {}};
    for (size_t i = 0; i < v.frames.size(); ++i) {
      csv += v.video + "," + std::to_string(i + 1);
      for (int a = 0; a < io::kNumAus; ++a) {
        std::snprintf(cell, sizeof cell, ",%.9g", static_cast<double>(v.frames[i][a]));
        csv += cell;
      }
      csv += "\n";
      s.frames.push_back(decideAus(v.frames[i], spec));
    }
    submission.push_back(std::move(s));
  }
  const OutputPaths paths = outputPaths(dir);
  std::filesystem::create_directories(dir);
  writeAbaw3(paths.abaw3, submission);
  writeAbaw5(paths.abaw5, submission);
  writeFileAtomic(paths.probabilities, csv);
  return paths;
}

std::string stagingFolder(const std::string& out) {
  return out + "/.staging." + std::to_string(::getpid());
}

OutputPaths publishPredictions(const std::string& staging, const std::string& out) {
  const OutputPaths from = outputPaths(staging), to = outputPaths(out);
  replaceDirectory(from.abaw3, to.abaw3);
  commitTemporary(from.abaw5, to.abaw5);
  commitTemporary(from.probabilities, to.probabilities);
  removeTree(staging);
  return to;
}

}  // namespace au::infer
