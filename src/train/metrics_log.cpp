#include "train/metrics_log.h"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/atomic_file.h"

namespace au::train {
namespace {
using Json = nlohmann::ordered_json;

Json toJson(const EpochMetrics& m) {
  Json j;
  j["epoch"] = m.epoch;
  j["step"] = m.step;
  j["lr"] = m.lr;
  j["train_loss"] = m.train_loss;
  j["val_loss"] = m.val_loss;
  j["val_mean_f1"] = m.val.mean_f1;
  j["val_mean_f1_our"] = m.val.mean_f1_our;
  j["val_frames"] = m.val.frames_compared;
  for (int a = 0; a < io::kNumAus; ++a) j["val_f1_" + io::kAuNames[a]] = m.val.f1[a];
  for (int a = 0; a < io::kNumAus; ++a) j["val_f1_our_" + io::kAuNames[a]] = m.val.f1_our[a];
  j["seconds"] = m.seconds;
  j["images_per_second"] = m.images_per_second;
  j["allreduce_wait_share"] = m.allreduce_wait_share;
  return j;
}
/// steps.csv without the rows of `epoch` and later, then with this epoch's steps.
std::string stepsTable(const metrics::RunFiles& run, const EpochMetrics& m) {
  std::string table = "epoch,step,lr,loss\n";
  if (std::filesystem::exists(run.stepsCsv())) {
    std::istringstream in(readFile(run.stepsCsv()));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line))
      if (!line.empty() && std::atoll(line.c_str()) < m.epoch) table += line + "\n";
  }
  const int64_t first = m.step - static_cast<int64_t>(m.step_losses.size()) + 1;
  for (size_t i = 0; i < m.step_losses.size(); ++i) {
    std::ostringstream row;
    row.precision(9);
    row << m.epoch << ',' << first + static_cast<int64_t>(i) << ',' << m.lr << ','
        << m.step_losses[i] << '\n';
    table += row.str();
  }
  return table;
}

}  // namespace

void appendEpochMetrics(const metrics::RunFiles& run, const EpochMetrics& metrics) {
  std::vector<Json> records;
  if (std::filesystem::exists(run.metricsJsonl())) {
    std::istringstream in(readFile(run.metricsJsonl()));
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded() || !j.contains("epoch")) continue;  // keep going past a damaged line
      if (j["epoch"].get<int64_t>() < metrics.epoch) records.push_back(std::move(j));
    }
  }
  records.push_back(toJson(metrics));
  std::string jsonl, csv;
  for (const auto& item : records.back().items()) csv += (csv.empty() ? "" : ",") + item.key();
  csv += "\n";
  for (const auto& r : records) {
    jsonl += r.dump() + "\n";
    std::string row;
    for (const auto& item : records.back().items()) {
      const auto value = r.contains(item.key()) ? r[item.key()].dump() : std::string();
      row += (row.empty() ? "" : ",") + value;
    }
    csv += row + "\n";
  }
  writeFileAtomic(run.metricsJsonl(), jsonl);
  writeFileAtomic(run.metricsCsv(), csv);
  writeFileAtomic(run.stepsCsv(), stepsTable(run, metrics));
}

}  // namespace au::train
