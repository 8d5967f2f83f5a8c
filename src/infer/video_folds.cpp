#include "infer/video_folds.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "common/error.h"

namespace au::infer {
namespace {

struct VideoSize {
  std::string name;
  size_t rows = 0;
};

// Each video once, in name order, with its row count; checks that its rows are one block.
std::vector<VideoSize> videoSizes(const ValidationFrames& frames) {
  std::map<std::string, size_t> rows;
  for (size_t i = 0; i < frames.video.size(); ++i) {
    const bool starts = i == 0 || frames.video[i] != frames.video[i - 1];
    AU_CHECK(!starts || !rows.count(frames.video[i]), "the rows of video ", frames.video[i],
             " are not contiguous (row ", i, ")");
    ++rows[frames.video[i]];
  }
  std::vector<VideoSize> sizes;
  for (const auto& [name, n] : rows) sizes.push_back({name, n});
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
  auto videos = videoSizes(frames);
  std::stable_sort(videos.begin(), videos.end(),
                   [](const VideoSize& a, const VideoSize& b) { return a.rows > b.rows; });
  VideoFolds out;
  out.videos.resize(std::min(static_cast<size_t>(folds), videos.size()));
  std::vector<size_t> fold_rows(out.videos.size(), 0);
  std::map<std::string, int> fold_of;
  for (const auto& v : videos) {
    // min_element returns the first of equal minima: the lowest fold index.
    const auto f = static_cast<size_t>(std::min_element(fold_rows.begin(), fold_rows.end()) - fold_rows.begin());
    fold_rows[f] += v.rows;
    out.videos[f].push_back(v.name);
    fold_of[v.name] = static_cast<int>(f);
  }
  for (auto& names : out.videos) std::sort(names.begin(), names.end());
  out.row_fold.reserve(frames.video.size());
  for (const auto& name : frames.video) out.row_fold.push_back(fold_of.at(name));
  return out;
}

}  // namespace au::infer
