// au_select: chooses the model-level ensemble from au_train runs' validation probabilities:
// per AU the best checkpoint, then per-AU thresholds and smoothing windows; writes the spec
// au_infer runs, and a report of what each step adds (also vs plain averaging), on the tuning
// frames and cross-validated over held-out validation videos.
//   au_select --select.runs runs/a,runs/b --select.out ensemble.json [--select.report report.txt]
#include <iostream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/log.h"
#include "common/options.h"
#include "common/run_program.h"
#include "infer/ensemble_selection.h"

int main(int argc, char** argv) {
  au::OptionSet options(
      "au_select",
      "Chooses, for each AU, the checkpoint (over runs and epochs) with the best validation F1, "
      "tunes per-AU thresholds and smoothing windows on validation (scored on the tuning frames "
      "and cross-validated over held-out videos), and writes the ensemble spec for au_infer plus "
      "a report.");
  std::string runs, out, report;
  au::infer::SelectionOptions select;
  options.add("select.runs", &runs,
              "au_train run folders, comma-separated (every validated epoch is a candidate; the "
              "--train.fold runs "
              "of one configuration give one out-of-fold candidate per epoch)");
  options.add("select.out", &out, "where to write the ensemble spec (JSON)");
  options.add("select.report", &report, "also write the report here");
  options.add("select.max_window", &select.max_window, "largest smoothing window tried (odd)");
  options.add("select.fill", &select.fill, "frames missing inside a video: nearest or linear");
  options.add("select.tuning", &select.tuning,
              "thresholds and windows: fixed (0.5, none), plateau, shrunk, exact (F1 optimum), or "
              "auto (the best "
              "cross-validated of those)");
  options.add("select.cv_folds", &select.cv_folds,
              "video folds for the cross-validated score (1: none)");
  options.add("select.tolerance", &select.tolerance,
              "plateau: F1 a threshold or window may give up against the best");
  options.add("select.prior_positives", &select.prior_positives,
              "shrunk: positive frames that weigh as much as the prior threshold 0.5");
  options.addCheck([&] {
    if (runs.empty() || out.empty())
      AU_THROW(au::UsageError, "--select.runs and --select.out are required");
    au::infer::checkSelectionOptions(select);
  });
  return au::runProgram(argc, argv, options, [&] {
    std::vector<std::string> dirs;
    std::stringstream list(runs);
    for (std::string dir; std::getline(list, dir, ',');)
      if (!dir.empty()) dirs.push_back(dir);
    au::infer::ValidationFrames frames;
    const auto candidates = au::infer::loadCandidates(dirs, frames);
    au::log::info(candidates.size(), " candidate checkpoints, ", frames.labels.size(),
                  " validation frames");
    const auto selection = au::infer::selectEnsemble(candidates, frames, select);
    const std::string text = au::infer::formatSelection(selection);
    std::cout << text;
    auto spec = selection.spec;
    au::infer::recordChecksums(spec);  // au_infer refuses checkpoints changed since
    au::infer::writeSpec(out, spec);
    if (!report.empty()) au::writeFileAtomic(report, text);
    au::log::info("ensemble spec written to ", out);
    return 0;
  });
}
