// Options of au_synth, the deterministic generator of the synthetic Aff-Wild2-layout dataset.
#pragma once

#include <string>

namespace au {
class OptionSet;
}

namespace au::synth {

struct SynthOptions {
  std::string out = "data/synthetic";  ///< dataset root (created whole, then renamed into place)
  long long seed = 2022;
  int train_videos = 12;  ///< raw videos per split; some hold two people
  int validation_videos = 4;
  int test_videos = 4;
  int min_frames = 150;  ///< frames per video, uniform in [min, max]
  int max_frames = 360;
  double pair_fraction = 0.2;        ///< raw videos with two people (_left/_right)
  double unknown_fraction = 0.02;    ///< rows labelled -1, in stretches
  double missing_fraction = 0.01;    ///< frames without an image, in short runs
  double late_start_fraction = 0.2;  ///< videos whose images start above frame 1
  double rate_scale = 1.0;           ///< multiplies every AU's positive rate
  int jpeg_quality = 90;
  bool raw_videos = false;  ///< also write batch1/<raw video>.mp4 (320x240, 30 fps)
  bool overwrite = false;   ///< replace an existing dataset at `out`
};

void describe(OptionSet& options, SynthOptions& synth);

}  // namespace au::synth
