#include "common/progress.h"

#include <sys/resource.h>

#include <cmath>
#include <cstdio>

namespace au {

ProgressMeter::ProgressMeter(std::string what, int64_t total, double interval_s)
    : what_(std::move(what)),
      total_(total),
      interval_s_(interval_s),
      start_(Clock::now()),
      last_report_(start_) {}

bool ProgressMeter::due() const {
  return std::chrono::duration<double>(Clock::now() - last_report_).count() >= interval_s_;
}

double ProgressMeter::elapsedSeconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

std::string ProgressMeter::report(int64_t done) {
  last_report_ = Clock::now();
  const double elapsed = elapsedSeconds();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double percent = total_ > 0 ? 100.0 * static_cast<double>(done) / total_ : 100.0;
  char text[256];
  std::snprintf(text, sizeof text, "%s %lld/%lld (%.1f%%), %.1f %s/s, ETA %s", what_.c_str(),
                static_cast<long long>(done), static_cast<long long>(total_), percent, rate,
                what_.c_str(),
                rate > 0 ? formatDuration(static_cast<double>(total_ - done) / rate).c_str() : "?");
  return text;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char text[64];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%lds", s);
  }
  return text;
}

int64_t peakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

}  // namespace au
