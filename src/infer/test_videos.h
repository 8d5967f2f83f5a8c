// Which videos a submission covers, in which order, and how many frames each has, from the
// sources the organisers give: the test list, the ABAW5+ template, and the frames themselves
// (shards or frame folders). REFERENCE.md section 3: the organisers' counts win over anything
// counted from images, and disagreements are worth reporting.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "infer/submission.h"

namespace au::infer {

struct TestVideo {
  std::string name;
  int frames = 0;  ///< N: the submission has frames 1..N
};

struct TestVideoPlan {
  std::vector<TestVideo> videos;        ///< in submission order
  bool template_order = false;          ///< the order and counts come from a template
  std::vector<std::string> mismatches;  ///< "<video>: template 500 frames, <source> 498"
};

struct CountSources {
  std::vector<std::string> list;  ///< the test list (empty: none given)
  std::string list_path;
  const TestTemplate* test_template = nullptr;  ///< null: none given
  std::string template_path;
  std::vector<std::string> source_videos;    ///< the frame source's videos, in its order
  std::map<std::string, int> source_counts;  ///< the frame source's count per video
  std::string source_name;  ///< e.g. "the frame folder (highest image number)"; empty: no source
};

/// Order: the template's, else the test list's, else the source's. Counts: the template's, else
/// the source's (-1: unknown, without either). Throws DataError naming the files when the list
/// and the template hold different videos, or when a video is not in the frame source.
TestVideoPlan planTestVideos(const CountSources& sources);

class FrameSource;
/// planTestVideos over the files: a test list and a template (either path may be empty) and a
/// frame source (may be null).
TestVideoPlan loadTestVideoPlan(const std::string& list_path, const std::string& template_path,
                                const FrameSource* source);

}  // namespace au::infer
