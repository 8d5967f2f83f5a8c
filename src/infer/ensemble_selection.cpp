#include "infer/ensemble_selection.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "common/error.h"
#include "infer/video_folds.h"

namespace au::infer {
namespace {

// What auto uses with nothing to compare (one video, or cv_folds 1): the F1 optimum; on the demo
// runs' unseen test videos no other mode beat it by more than 0.005 mean F1 (README, au_select).
constexpr TuningMode kAutoFallback = TuningMode::kExact;

std::array<std::string, kNumSteps> stepNames(const std::vector<Candidate>& candidates,
                                             size_t best_single) {
  const std::string n = std::to_string(candidates.size());
  return {"best single checkpoint (" + candidates[best_single].name + "), threshold 0.5",
          "per-AU checkpoint selection, threshold 0.5",
          "+ per-AU thresholds",
          "+ per-AU smoothing windows",
          "averaging all " + n + " checkpoints, threshold 0.5",
          "averaging all " + n + " checkpoints + per-AU thresholds"};
}

// auto: every compared mode cross-validated; the best held-out mean F1 of the last step wins.
// Records each mode's score in `s` and sets `honest` to the winner's counts.
TuningMode chooseMode(Selection& s, const std::vector<Candidate>& candidates,
                      const ValidationFrames& frames, const VideoFolds& folds,
                      TuningSettings settings, std::optional<StepCounts>& honest) {
  TuningMode best = kComparedModes[0];
  double best_f1 = -1;
  for (TuningMode mode : kComparedModes) {
    settings.rule.mode = mode;
    const auto counts = crossValidate(candidates, frames, folds, settings);
    s.compared.push_back({mode, metrics::score(counts[kWindows])});
    // Only a strictly better score replaces: ties keep the simpler mode, compared earlier.
    if (s.compared.back().cv.mean_f1 > best_f1) {
      best = mode;
      best_f1 = s.compared.back().cv.mean_f1;
      honest = counts;
    }
  }
  return best;
}

// The spec: each distinct chosen checkpoint once, in order of first use by the AUs.
EnsembleSpec specOf(const TunedEnsemble& tuned, const std::vector<Candidate>& candidates,
                    const std::string& fill) {
  EnsembleSpec spec;
  spec.fill = fill;
  std::map<size_t, int> index;
  for (int a = 0; a < io::kNumAus; ++a) {
    if (!index.count(tuned.chosen[a])) {
      index[tuned.chosen[a]] = static_cast<int>(spec.checkpoints.size());
      const auto& c = candidates[tuned.chosen[a]];
      spec.checkpoints.push_back({c.name, c.checkpoint, c.config, c.members, ""});
    }
    spec.aus[a] = {index[tuned.chosen[a]], tuned.smoothed_thresholds[a], tuned.window[a]};
  }
  return spec;
}

std::string describeRule(const TuningRule& rule) {
  char text[256];
  switch (rule.mode) {
    case TuningMode::kFixed:
      return "fixed (threshold 0.5, no smoothing)";
    case TuningMode::kPlateau:
      std::snprintf(text, sizeof text,
                    "plateau (the centre of the thresholds within %.4g F1 of the best; the "
                    "narrowest window within "
                    "%.4g of the best)",
                    rule.tolerance, rule.tolerance);
      return text;
    case TuningMode::kShrunk:
      std::snprintf(
          text, sizeof text,
          "shrunk (the F1-maximising threshold pulled toward 0.5 by n_pos / (n_pos + %g))",
          rule.prior_positives);
      return text;
    case TuningMode::kExact:
      return "exact (the F1-maximising threshold and window)";
    case TuningMode::kAuto:
      break;
  }
  AU_THROW(Error, "no description of tuning mode ", tuningModeName(rule.mode));
}

// The step names' column: wide enough for the longest (a long checkpoint name).
int labelWidth(const Selection& s) {
  size_t width = 56;
  for (const auto& r : s.report) width = std::max(width, r.what.size());
  return static_cast<int>(width);
}

std::string formatHeader(const Selection& s) {
  const int width = labelWidth(s);
  std::string out =
      "tuning: " + std::string(s.auto_mode ? "auto -> " : "") + describeRule(s.rule) + "\n";
  char line[512];
  // k-fold families: every train+validation video was predicted by the run that did not train on
  // it.
  if (s.oof_folds) {
    std::snprintf(line, sizeof line,
                  "candidates: tuned on out-of-fold predictions of %zu videos from %d folds (each "
                  "video predicted "
                  "by the fold run that did not train on it)\n",
                  s.videos, s.oof_folds);
    out += line;
  }
  if (s.cv_folds == 0) {
    out += s.videos <= 1 ? "no cross-validation: a single validation video\n"
                         : "no cross-validation: --select.cv_folds 1\n";
  } else {
    std::snprintf(line, sizeof line,
                  "cross-validation: %d folds of the %zu %svideos, each held out of tuning\n",
                  s.cv_folds, s.videos, s.oof_folds ? "" : "validation ");
    out += line;
  }
  const std::string folds =
      s.cv_folds ? std::to_string(s.cv_folds) + " video folds (honest)" : "(not run)";
  std::snprintf(
      line, sizeof line,
      "\n%-*s  on the tuning frames  cross-validated over\n%-*s  (optimistic)          %s\n", width,
      "", width, "", folds.c_str());
  out += line;
  std::snprintf(line, sizeof line, "%-*s  mean F1  F1_our       mean F1  F1_our\n", width, "step");
  return out + line;
}

std::string formatVerdict(const Selection& s) {
  if (s.cv_folds == 0)
    return "Every score above is measured on the frames it was tuned on, so it is optimistic:\n"
           "expect less on unseen videos.\n" +
           (s.auto_mode ? "auto had no cross-validated scores to compare, so it used " +
                              tuningModeName(kAutoFallback) + ".\n"
                        : std::string());
  std::string out =
      "Trust the cross-validated column: each fold's checkpoints, thresholds and windows were "
      "chosen\n"
      "without that fold's videos, as they will be for unseen test videos. The tuning-frames "
      "column\n"
      "scores the choices on the very frames they were tuned on.\n";
  if (s.auto_mode) {
    out += "auto compared the modes by cross-validated mean F1 (+ windows):";
    char part[64];
    for (const auto& m : s.compared) {
      std::snprintf(part, sizeof part, " %s %.4f", tuningModeName(m.mode).c_str(), m.cv.mean_f1);
      out += part;
    }
    out += "\n  chose " + tuningModeName(s.rule.mode) +
           " (picked on these folds, so its cross-validated score is itself a little optimistic)\n";
  }
  return out;
}

}  // namespace

void checkSelectionOptions(const SelectionOptions& options) {
  if (options.max_window < 1 || options.max_window % 2 == 0)
    AU_THROW(UsageError, "--select.max_window must be odd and positive, not ", options.max_window);
  parseFillMode(options.fill);
  parseTuningMode(options.tuning);
  if (options.cv_folds < 1)
    AU_THROW(UsageError, "--select.cv_folds must be at least 1, not ", options.cv_folds);
  if (!(options.tolerance >= 0))
    AU_THROW(UsageError, "--select.tolerance must be >= 0, not ", options.tolerance);
  if (!(options.prior_positives >= 0))
    AU_THROW(UsageError, "--select.prior_positives must be >= 0, not ", options.prior_positives);
}

Selection selectEnsemble(const std::vector<Candidate>& candidates, const ValidationFrames& frames,
                         const SelectionOptions& options) {
  AU_CHECK(!candidates.empty(), "no candidates");
  checkSelectionOptions(options);
  TuningSettings settings{
      {parseTuningMode(options.tuning), options.tolerance, options.prior_positives},
      options.max_window,
      parseFillMode(options.fill)};
  const auto folds = assignVideoFolds(frames, options.cv_folds);

  Selection s;
  for (const auto& fold : folds.videos) s.videos += fold.size();
  s.oof_folds = frames.oof_folds;
  s.cv_folds = folds.count() >= 2 ? folds.count() : 0;
  std::optional<StepCounts> honest;
  if (settings.rule.mode == TuningMode::kAuto) {
    s.auto_mode = true;
    settings.rule.mode =
        s.cv_folds ? chooseMode(s, candidates, frames, folds, settings, honest) : kAutoFallback;
  } else if (s.cv_folds) {
    honest = crossValidate(candidates, frames, folds, settings);
  }
  s.rule = settings.rule;

  // The spec is tuned on every validation frame; scored there, it is the optimistic column.
  const auto rows = allRows(frames);
  const auto tuned = tuneEnsemble(candidates, frames, rows, settings);
  const auto optimistic = applyEnsemble(tuned, candidates, frames, rows, settings.fill);
  const auto names = stepNames(candidates, tuned.best_single);
  for (int step = 0; step < kNumSteps; ++step)
    s.report.push_back({names[step], metrics::score(optimistic[step]),
                        honest ? metrics::score((*honest)[step]) : metrics::AuScores{}});

  s.spec = specOf(tuned, candidates, options.fill);
  s.spec.validation_mean_f1 = s.report[kWindows].scores.mean_f1;
  s.spec.validation_mean_f1_our = s.report[kWindows].scores.mean_f1_our;
  if (honest) {
    s.spec.cv_folds = s.cv_folds;
    s.spec.validation_mean_f1_cv = s.report[kWindows].cv.mean_f1;
    s.spec.validation_mean_f1_our_cv = s.report[kWindows].cv.mean_f1_our;
  }
  return s;
}

std::string formatSelection(const Selection& s) {
  std::string out = formatHeader(s);
  const int width = labelWidth(s);
  char line[512];
  for (const auto& r : s.report) {
    if (s.cv_folds)
      std::snprintf(line, sizeof line, "%-*s  %7.4f  %6.4f       %7.4f  %6.4f\n", width,
                    r.what.c_str(), r.scores.mean_f1, r.scores.mean_f1_our, r.cv.mean_f1,
                    r.cv.mean_f1_our);
    else
      std::snprintf(line, sizeof line, "%-*s  %7.4f  %6.4f             -       -\n", width,
                    r.what.c_str(), r.scores.mean_f1, r.scores.mean_f1_our);
    out += line;
  }
  out += formatVerdict(s);
  const auto& final_row = s.report[kWindows];
  out += "\nAU     F1 tuned  F1 cv   threshold  window  checkpoint\n";
  for (int a = 0; a < io::kNumAus; ++a) {
    const auto& c = s.spec.aus[a];
    char cv[16] = "     -";
    if (s.cv_folds) std::snprintf(cv, sizeof cv, "%.4f", final_row.cv.f1[a]);
    std::snprintf(line, sizeof line, "%-5s  %8.4f  %-6s  %9.4f  %6d  %s\n", io::kAuNames[a].c_str(),
                  final_row.scores.f1[a], cv, static_cast<double>(c.threshold), c.window,
                  s.spec.checkpoints[static_cast<size_t>(c.checkpoint)].name.c_str());
    out += line;
  }
  return out;
}

}  // namespace au::infer
