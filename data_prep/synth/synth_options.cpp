#include "synth/synth_options.h"

#include "common/error.h"
#include "common/options.h"

namespace au::synth {

void describe(OptionSet& options, SynthOptions& s) {
  options.add("synth.out", &s.out, "dataset root to create (Aff-Wild2 layout)");
  options.add("synth.seed", &s.seed, "random seed: the same seed gives the same bytes");
  options.add("synth.train_videos", &s.train_videos, "raw videos in Train_Set");
  options.add("synth.validation_videos", &s.validation_videos, "raw videos in Validation_Set");
  options.add("synth.test_videos", &s.test_videos, "raw videos in the test set");
  options.add("synth.min_frames", &s.min_frames, "fewest frames in a video");
  options.add("synth.max_frames", &s.max_frames, "most frames in a video");
  options.add("synth.pair_fraction", &s.pair_fraction,
              "share of raw videos with two people, named <video>_left and <video>_right");
  options.add("synth.unknown_fraction", &s.unknown_fraction, "share of rows labelled -1");
  options.add("synth.missing_fraction", &s.missing_fraction, "share of frames with no image");
  options.add("synth.late_start_fraction", &s.late_start_fraction,
              "share of videos whose images start after frame 1");
  options.add("synth.rate_scale", &s.rate_scale, "multiplies every AU's positive rate");
  options.add("synth.jpeg_quality", &s.jpeg_quality, "JPEG quality of the face crops");
  options.add("synth.raw_videos", &s.raw_videos, "also write batch1/<video>.mp4 raw videos");
  options.add("synth.overwrite", &s.overwrite, "replace an existing dataset at synth.out");
  options.addCheck([&s] {
    if (s.train_videos < 1 || s.validation_videos < 1 || s.test_videos < 0)
      AU_THROW(UsageError, "need at least one train and one validation video");
    if (s.min_frames < 1 || s.max_frames < s.min_frames)
      AU_THROW(UsageError, "need 1 <= --synth.min_frames <= --synth.max_frames");
    for (double f :
         {s.pair_fraction, s.unknown_fraction, s.missing_fraction, s.late_start_fraction})
      if (f < 0 || f > 1) AU_THROW(UsageError, "fractions must be within [0, 1]");
    if (s.jpeg_quality < 1 || s.jpeg_quality > 100)
      AU_THROW(UsageError, "--synth.jpeg_quality must be 1..100");
    if (s.rate_scale <= 0) AU_THROW(UsageError, "--synth.rate_scale must be positive");
  });
}

}  // namespace au::synth
