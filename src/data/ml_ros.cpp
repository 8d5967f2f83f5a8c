#include "data/ml_ros.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "common/error.h"
#include "common/rng.h"

namespace au::data {

std::array<int64_t, io::kNumAus> positiveCounts(const std::vector<io::AuLabels>& labels) {
  std::array<int64_t, io::kNumAus> counts{};
  for (size_t i = 0; i < labels.size(); ++i) {
    for (int a = 0; a < io::kNumAus; ++a) {
      const int value = labels[i][a];
      AU_CHECK(value >= -1 && value <= 1, "label of ", io::kAuNames[a], " at sample ", i, " is ",
               value);
      if (value == 1) ++counts[a];
    }
  }
  return counts;
}

std::array<double, io::kNumAus> irlbl(const std::array<int64_t, io::kNumAus>& positive_counts) {
  const int64_t max_count = *std::max_element(positive_counts.begin(), positive_counts.end());
  std::array<double, io::kNumAus> values{};
  for (int a = 0; a < io::kNumAus; ++a) {
    values[a] = positive_counts[a] == 0
                    ? std::numeric_limits<double>::infinity()
                    : static_cast<double>(max_count) / static_cast<double>(positive_counts[a]);
  }
  return values;
}

std::array<double, io::kNumAus> irlbl(const std::vector<io::AuLabels>& labels) {
  return irlbl(positiveCounts(labels));
}

double meanIr(const std::array<double, io::kNumAus>& irlbl_values) {
  double sum = 0;
  int present = 0;
  for (double value : irlbl_values) {
    if (std::isinf(value)) continue;
    sum += value;
    ++present;
  }
  return present == 0 ? 1.0 : sum / present;
}

double meanIr(const std::vector<io::AuLabels>& labels) { return meanIr(irlbl(labels)); }

std::vector<int64_t> mlRos(const std::vector<io::AuLabels>& labels, const MlRosOptions& options) {
  AU_CHECK(options.percentage >= 0 && std::isfinite(options.percentage),
           "ML-ROS percentage must be finite and >= 0, got ", options.percentage);
  const int64_t n = static_cast<int64_t>(labels.size());
  const int64_t target = std::llround(options.percentage / 100.0 * static_cast<double>(n));

  std::vector<int64_t> indices(n);
  for (int64_t i = 0; i < n; ++i) indices[i] = i;

  std::array<int64_t, io::kNumAus> counts = positiveCounts(labels);
  const double mean_ir = meanIr(irlbl(counts));  // fixed for the whole run (see header)
  std::vector<int> minority;
  {
    const auto ir = irlbl(counts);
    for (int a = 0; a < io::kNumAus; ++a) {
      if (std::isfinite(ir[a]) && ir[a] > mean_ir) minority.push_back(a);
    }
  }
  if (minority.empty() || target == 0) return indices;

  std::array<std::vector<int64_t>, io::kNumAus> bags;
  for (int64_t i = 0; i < n; ++i) {
    for (int a : minority) {
      if (labels[i][a] == 1) bags[a].push_back(i);
    }
  }

  indices.reserve(n + target);
  Rng rng(options.seed, {kMlRosStream});
  int64_t clones = 0;
  int64_t max_count = *std::max_element(counts.begin(), counts.end());
  auto cloneFrom = [&](int label) {
    const auto& bag = bags[label];
    const int64_t sample = bag[rng.below(bag.size())];
    indices.push_back(sample);
    ++clones;
    for (int a = 0; a < io::kNumAus; ++a) {
      if (labels[sample][a] == 1) max_count = std::max(max_count, ++counts[a]);
    }
  };

  std::vector<int> rotation = minority;
  size_t turn = 0;
  while (clones < target && !rotation.empty()) {
    if (turn >= rotation.size()) turn = 0;
    const int label = rotation[turn];
    // The same division irlbl() does, so the leave test agrees with the published measure.
    const double ir = static_cast<double>(max_count) / static_cast<double>(counts[label]);
    if (ir <= mean_ir) {
      rotation.erase(rotation.begin() + static_cast<std::ptrdiff_t>(turn));
      continue;
    }
    cloneFrom(label);
    ++turn;
  }
  for (size_t next = 0; clones < target; next = (next + 1) % minority.size()) {
    cloneFrom(minority[next]);
  }
  return indices;
}

}  // namespace au::data
