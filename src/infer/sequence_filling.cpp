#include "infer/sequence_filling.h"

#include <algorithm>

#include "common/error.h"

namespace au::infer {

FillMode parseFillMode(const std::string& name) {
  if (name == "nearest") return FillMode::kNearest;
  if (name == "linear") return FillMode::kLinear;
  AU_THROW(UsageError, "fill mode must be 'nearest' or 'linear', not '", name, "'");
}

void fillMissing(std::vector<FrameProbabilities>& frames, const std::vector<bool>& present,
                 FillMode mode, float empty_value) {
  AU_CHECK(frames.size() == present.size(), frames.size(), " frames but ", present.size(),
           " presence flags");
  const auto n = static_cast<long>(frames.size());
  // previous[i] / next[i]: the nearest present frame at or before / at or after i (-1: none).
  std::vector<long> previous(frames.size(), -1), next(frames.size(), -1);
  for (long i = 0, last = -1; i < n; ++i) {
    if (present[static_cast<size_t>(i)]) last = i;
    previous[static_cast<size_t>(i)] = last;
  }
  for (long i = n - 1, last = -1; i >= 0; --i) {
    if (present[static_cast<size_t>(i)]) last = i;
    next[static_cast<size_t>(i)] = last;
  }
  for (long i = 0; i < n; ++i) {
    const auto at = static_cast<size_t>(i);
    if (present[at]) continue;
    const long p = previous[at], q = next[at];
    if (p < 0 && q < 0) {
      frames[at].fill(empty_value);
    } else if (p < 0 || q < 0) {
      frames[at] = frames[static_cast<size_t>(p < 0 ? q : p)];
    } else if (mode == FillMode::kNearest) {
      frames[at] = frames[static_cast<size_t>(i - p <= q - i ? p : q)];
    } else {
      const float t = static_cast<float>(i - p) / static_cast<float>(q - p);
      for (int a = 0; a < io::kNumAus; ++a)
        frames[at][a] =
            (1 - t) * frames[static_cast<size_t>(p)][a] + t * frames[static_cast<size_t>(q)][a];
    }
  }
}

void smoothMovingAverage(std::vector<FrameProbabilities>& frames, int window) {
  if (window <= 1) return;
  if (window % 2 == 0)
    AU_THROW(UsageError, "the smoothing window must be odd (centred), not ", window);
  const auto n = static_cast<long>(frames.size());
  const long half = window / 2;
  // Prefix sums in double: exact enough for any video length, and O(n) for any window.
  std::vector<std::array<double, io::kNumAus>> prefix(frames.size() + 1);
  prefix[0].fill(0.0);
  for (long i = 0; i < n; ++i)
    for (int a = 0; a < io::kNumAus; ++a)
      prefix[static_cast<size_t>(i + 1)][a] =
          prefix[static_cast<size_t>(i)][a] + frames[static_cast<size_t>(i)][a];
  for (long i = 0; i < n; ++i) {
    const long lo = std::max(0L, i - half), hi = std::min(n - 1, i + half);
    for (int a = 0; a < io::kNumAus; ++a)
      frames[static_cast<size_t>(i)][a] = static_cast<float>(
          (prefix[static_cast<size_t>(hi + 1)][a] - prefix[static_cast<size_t>(lo)][a]) /
          static_cast<double>(hi - lo + 1));
  }
}

}  // namespace au::infer
