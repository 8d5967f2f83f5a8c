#include "infer/test_videos.h"

#include <set>

#include "common/error.h"
#include "infer/frame_source.h"
#include "io/video_list.h"

namespace au::infer {
namespace {

// "a, b, c and 4 more".
std::string someOf(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 5; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 5) out += " and " + std::to_string(names.size() - 5) + " more";
  return out;
}

std::vector<std::string> notIn(const std::vector<std::string>& names,
                               const std::set<std::string>& other) {
  std::vector<std::string> out;
  for (const auto& n : names)
    if (!other.count(n)) out.push_back(n);
  return out;
}

}  // namespace

TestVideoPlan planTestVideos(const CountSources& s) {
  TestVideoPlan plan;
  std::vector<std::string> names = s.source_videos;
  if (s.test_template) {
    names = s.test_template->videos;
    plan.template_order = true;
    if (!s.list.empty()) {
      const std::set<std::string> in_list(s.list.begin(), s.list.end()),
          in_template(names.begin(), names.end());
      const auto missing = notIn(s.list, in_template), extra = notIn(names, in_list);
      if (!missing.empty() || !extra.empty())
        throw DataError(s.template_path, 0,
                        "the template and the test list " + s.list_path + " disagree: " +
                            (missing.empty() ? "" : "not in the template: " + someOf(missing)) +
                            (missing.empty() || extra.empty() ? "" : "; ") +
                            (extra.empty() ? "" : "not in the test list: " + someOf(extra)));
    }
  } else if (!s.list.empty()) {
    names = s.list;
  }
  const bool have_source = !s.source_name.empty();
  const std::set<std::string> in_source(s.source_videos.begin(), s.source_videos.end());
  const auto absent = notIn(names, in_source);
  if (have_source && !absent.empty())
    throw DataError(s.test_template ? s.template_path : s.list_path, 0,
                    std::to_string(absent.size()) + " videos are not in " + s.source_name + ": " +
                        someOf(absent));
  for (const auto& name : names) {
    const int counted = have_source ? s.source_counts.at(name) : -1;
    TestVideo v{name, counted};
    if (s.test_template) {
      v.frames = s.test_template->frames.at(name);
      if (have_source && v.frames != counted)
        plan.mismatches.push_back(name + ": template " + std::to_string(v.frames) + " frames, " +
                                  s.source_name + " " + std::to_string(counted));
    }
    plan.videos.push_back(v);
  }
  return plan;
}

TestVideoPlan loadTestVideoPlan(const std::string& list_path, const std::string& template_path,
                                const FrameSource* source) {
  CountSources s;
  if (!list_path.empty()) s.list = io::readVideoList(list_path);
  s.list_path = list_path;
  TestTemplate t;
  if (!template_path.empty()) {
    t = readTestTemplate(template_path);
    s.test_template = &t;
  }
  s.template_path = template_path;
  if (source) {
    s.source_videos = source->videos();
    s.source_name = source->countSource();
    const std::set<std::string> wanted(s.list.begin(), s.list.end());
    for (const auto& name : s.source_videos)
      if (wanted.empty() || wanted.count(name) ||
          (s.test_template && s.test_template->frames.count(name)))
        s.source_counts[name] = source->video(name).frames;
  }
  return planTestVideos(s);
}

}  // namespace au::infer
