// Progress lines for long work: items done of a total, items/s and time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace au {

/// Measures the rate since construction and says when the next report is due.
class ProgressMeter {
 public:
  ProgressMeter(std::string what, int64_t total, double interval_s = 2.0);
  /// True when at least `interval_s` passed since the last report (call often, it is cheap).
  bool due() const;
  /// "frames 1200/5000 (24.0%), 410.2 frames/s, ETA 9s", and marks a report as made.
  std::string report(int64_t done);
  double elapsedSeconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  std::string what_;
  int64_t total_;
  double interval_s_;
  Clock::time_point start_;
  Clock::time_point last_report_;
};

/// Seconds from `start` to now, on the steady clock.
double secondsSince(std::chrono::steady_clock::time_point start);

/// "1h02m", "3m05s", "12s".
std::string formatDuration(double seconds);
/// Peak resident set size of this process in bytes (getrusage).
int64_t peakRssBytes();

}  // namespace au
