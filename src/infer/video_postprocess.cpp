#include "infer/video_postprocess.h"

#include <set>

namespace au::infer {

std::vector<FrameProbabilities> postprocessVideo(std::vector<FrameProbabilities> frames,
                                                 const std::vector<bool>& present,
                                                 const EnsembleSpec& spec) {
  fillMissing(frames, present, parseFillMode(spec.fill));
  std::vector<FrameProbabilities> out = frames;
  // One pass per distinct window, through one working copy.
  std::set<int> windows;
  for (const AuChoice& choice : spec.aus) windows.insert(choice.window);
  std::vector<FrameProbabilities> smoothed;
  for (const int w : windows) {
    smoothed = frames;
    smoothMovingAverage(smoothed, w);
    for (int a = 0; a < io::kNumAus; ++a)
      if (spec.aus[static_cast<size_t>(a)].window == w)
        for (size_t i = 0; i < frames.size(); ++i) out[i][a] = smoothed[i][a];
  }
  return out;
}

FramePrediction decideAus(const FrameProbabilities& probabilities, const EnsembleSpec& spec) {
  FramePrediction decided{};
  for (size_t a = 0; a < decided.size(); ++a)
    decided[a] = probabilities[a] >= spec.aus[a].threshold ? 1 : 0;
  return decided;
}

}  // namespace au::infer
