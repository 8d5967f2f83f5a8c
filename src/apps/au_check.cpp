// au_check: checks an ABAW AU submission (ABAW3 folder or ABAW5+ file) before it is uploaded:
// every test video present exactly once and nothing else, the header, only 0/1 values, frames
// 1..N with N from the organisers' template or the test faces, and the template's video order.
//   au_check --check.submission SUB --check.videos LIST [--check.template T] [--check.data DIR]
#include <iostream>

#include "common/error.h"
#include "common/exit_codes.h"
#include "common/options.h"
#include "common/run_program.h"
#include "infer/frame_source.h"
#include "infer/submission.h"
#include "infer/test_videos.h"

int main(int argc, char** argv) {
  au::OptionSet options(
      "au_check",
      "Checks an ABAW AU submission against the test list: each video once, the AU header, 12 "
      "values of 0/1 per line, one line per frame 1..N, and (ABAW5 file with a template) the "
      "template's video order. Exit 0 when valid, 65 with a list of problems otherwise.");
  std::string submission, videos, test_template, data, split = "test";
  options.add("check.submission", &submission,
              "ABAW3 folder of <video>.txt files, or an ABAW5+ CSV file");
  options.add("check.videos", &videos, "test list, one video per line");
  options.add("check.template", &test_template,
              "organisers' ABAW5+ template: frame counts and video order");
  options.add(
      "check.data", &data,
      "test faces (shard folder or cropped_aligned) for frame counts when there is no template");
  options.add("check.split", &split, "split of the shards (with a shard folder)");
  options.addCheck([&] {
    if (submission.empty() || (videos.empty() && test_template.empty()))
      AU_THROW(au::UsageError,
               "--check.submission and --check.videos or --check.template are required");
  });
  return au::runProgram(argc, argv, options, [&] {
    const auto source = data.empty() ? nullptr : au::infer::openFrameSource(data, split);
    const auto plan = au::infer::loadTestVideoPlan(videos, test_template, source.get());
    for (const auto& m : plan.mismatches) std::cout << "note: frame counts differ: " << m << "\n";
    std::vector<std::string> names;
    std::map<std::string, int> counts;
    int64_t frames = 0;
    for (const auto& v : plan.videos) {
      names.push_back(v.name);
      if (v.frames >= 0) counts[v.name] = v.frames;
      frames += v.frames;
    }
    const auto problems =
        au::infer::checkSubmission(submission, names, counts, plan.template_order);
    if (problems.empty()) {
      std::cout << submission << ": ok, " << names.size() << " videos";
      if (counts.size() == names.size())
        std::cout << ", " << frames << " frames";
      else
        std::cout << " (frame counts not checked: give --check.template or --check.data)";
      std::cout << "\n";
      return 0;
    }
    std::cout << submission << ": " << problems.size() << " problems\n";
    for (const auto& p : problems) std::cout << "  " << p << "\n";
    return au::kExitDataError;
  });
}
