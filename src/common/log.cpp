#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace au::log {
namespace {
std::atomic<int> g_rank{0};
std::atomic<int> g_size{1};
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

const char* levelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO ";
    case Level::kWarn:
      return "WARN ";
    case Level::kError:
      return "ERROR";
  }
  return "?";
}
}  // namespace

void setRank(int rank, int size) {
  g_rank = rank;
  g_size = size;
}
int rank() { return g_rank; }
void setLevel(Level level) { g_level = static_cast<int>(level); }
Level level() { return static_cast<Level>(g_level.load()); }

void write(Level lvl, const std::string& message) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &utc);
  std::string line = std::string(stamp) + " [r" + std::to_string(g_rank) + "/" +
                     std::to_string(g_size) + "] " + levelName(lvl) + " " + message + "\n";
  // One write(2) per line: atomic for pipes up to PIPE_BUF, so ranks sharing stderr don't mix.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace au::log
