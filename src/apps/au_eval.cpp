// au_eval: the official ABAW AU-track score of a submission (ABAW3 folder or ABAW5+ file)
// against the ground-truth annotation files: per-AU F1, mean F1, F1_our, as a table and JSON.
//   au_eval --eval.submission SUB --eval.annotations DIR [--eval.videos LIST] [--eval.json OUT]
#include <iostream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/options.h"
#include "common/run_program.h"
#include "infer/evaluation.h"
#include "io/video_list.h"

int main(int argc, char** argv) {
  au::OptionSet options(
      "au_eval",
      "Scores an ABAW AU submission against per-video annotation files (frame i = data row i; "
      "-1 entries are skipped): per-AU F1 (official), mean F1, F1_our (the paper's).");
  std::string submission, annotations, videos, json;
  options.add("eval.submission", &submission,
              "ABAW3 folder of <video>.txt files, or an ABAW5+ CSV file");
  options.add("eval.annotations", &annotations,
              "folder of ground-truth <video>.txt annotation files");
  options.add("eval.videos", &videos,
              "optional video list (one name per line): score exactly these");
  options.add("eval.json", &json, "also write the scores here as JSON");
  options.addCheck([&] {
    if (submission.empty() || annotations.empty())
      AU_THROW(au::UsageError, "--eval.submission and --eval.annotations are required");
  });
  return au::runProgram(argc, argv, options, [&] {
    const auto list = videos.empty() ? std::vector<std::string>{} : au::io::readVideoList(videos);
    const auto e = au::infer::evaluateSubmission(submission, annotations, list);
    std::cout << au::metrics::formatScores(e.scores) << e.videos << " videos, " << e.frames
              << " frames; predicting every AU present (the best constant predictor) would score "
              << "mean F1 " << au::metrics::allOnesScores(e.scores.counts).mean_f1 << "\n";
    if (!json.empty()) au::writeFileAtomic(json, au::infer::evaluationJson(e));
    return 0;
  });
}
