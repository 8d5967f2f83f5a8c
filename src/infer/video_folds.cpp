#include "infer/video_folds.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "common/error.h"
#include "io/raw_video_name.h"

namespace au::infer {
namespace {

// A raw video: its videos (one, or the _left/_right pair) and their rows together.
struct RawVideo {
  std::vector<std::string> names;
  size_t rows = 0;
};

// Each raw video once, in name order, with its row count; checks that each video's rows are one
// block.
std::vector<RawVideo> rawVideoSizes(const ValidationFrames& frames) {
  std::map<std::string, size_t> rows;
  for (size_t i = 0; i < frames.video.size(); ++i) {
    const bool starts = i == 0 || frames.video[i] != frames.video[i - 1];
    AU_CHECK(!starts || !rows.count(frames.video[i]), "the rows of video ", frames.video[i],
             " are not contiguous (row ", i, ")");
    ++rows[frames.video[i]];
  }
  std::map<std::string, RawVideo> raw;
  for (const auto& [name, n] : rows) {
    auto& r = raw[io::rawVideoName(name)];
    r.names.push_back(name);
    r.rows += n;
  }
  std::vector<RawVideo> sizes;
  for (auto& [name, r] : raw) sizes.push_back(std::move(r));
  return sizes;
}

}  // namespace

Rows allRows(const ValidationFrames& frames) {
  Rows rows(frames.video.size());
  std::iota(rows.begin(), rows.end(), size_t{0});
  return rows;
}

Rows VideoFolds::rows(int fold, bool held_out) const {
  Rows out;
  for (size_t i = 0; i < row_fold.size(); ++i)
    if ((row_fold[i] == fold) == held_out) out.push_back(i);
  return out;
}

VideoFolds assignVideoFolds(const ValidationFrames& frames, int folds) {
  AU_CHECK(folds >= 1, "cross-validation needs at least one fold, not ", folds);
  auto videos = rawVideoSizes(frames);
  std::stable_sort(videos.begin(), videos.end(),
                   [](const RawVideo& a, const RawVideo& b) { return a.rows > b.rows; });
  VideoFolds out;
  out.videos.resize(std::min(static_cast<size_t>(folds), videos.size()));
  std::vector<size_t> fold_rows(out.videos.size(), 0);
  std::map<std::string, int> fold_of;
  for (const auto& v : videos) {
    // min_element returns the first of equal minima: the lowest fold index.
    const auto f = static_cast<size_t>(std::min_element(fold_rows.begin(), fold_rows.end()) -
                                       fold_rows.begin());
    fold_rows[f] += v.rows;
    for (const auto& name : v.names) {
      out.videos[f].push_back(name);
      fold_of[name] = static_cast<int>(f);
    }
  }
  for (auto& names : out.videos) std::sort(names.begin(), names.end());
  out.row_fold.reserve(frames.video.size());
  for (const auto& name : frames.video) out.row_fold.push_back(fold_of.at(name));
  return out;
}

}  // namespace au::infer
