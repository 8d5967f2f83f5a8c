// Where au_train keeps a run's files under --train.run_dir. Epochs in names are 1-based (the
// number of epochs completed), as people count them.
#pragma once

#include <cstdint>
#include <string>

namespace au::metrics {

struct RunFiles {
  std::string dir;

  std::string config() const { return dir + "/config.ini"; }  ///< the effective configuration
  std::string checkpoint(int64_t epoch) const;                ///< checkpoints/epoch_003.pt
  std::string lastCheckpoint() const { return dir + "/checkpoints/last.pt"; }  ///< newest state
  std::string validation(int64_t epoch) const;  ///< validation/epoch_003.csv
  std::string metricsJsonl() const { return dir + "/metrics.jsonl"; }
  std::string metricsCsv() const { return dir + "/metrics.csv"; }
  std::string stepsCsv() const { return dir + "/steps.csv"; }  ///< loss and lr of every step
  std::string finalWeights() const { return dir + "/final.safetensors"; }

  /// Creates the folders.
  void create() const;
};

}  // namespace au::metrics
