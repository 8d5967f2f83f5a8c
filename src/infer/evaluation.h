// au_eval's scoring: a submission (either format) against the organisers' per-video annotation
// files, pooled over every frame of every video: the official mean F1 and the paper's F1_our.
#pragma once

#include <string>
#include <vector>

#include "metrics/au_metrics.h"

namespace au::infer {

struct Evaluation {
  metrics::AuScores scores;
  int videos = 0;
  int64_t frames = 0;  ///< frames of the scored videos (also those whose labels are all -1)
};

/// Scores every video of the submission at `submission` against `<annotations>/<video>.txt`
/// (frame i against data row i); with `videos` non-empty, exactly those videos, each required.
/// Throws DataError naming the files when a video has no annotation file or another number of
/// frames than annotation rows.
Evaluation evaluateSubmission(const std::string& submission, const std::string& annotations,
                              const std::vector<std::string>& videos = {});

/// The evaluation as JSON: per-AU F1 and F1_our, the means, frame and entry counts.
std::string evaluationJson(const Evaluation& evaluation);

}  // namespace au::infer
