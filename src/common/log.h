// Rank-aware logging to stderr: one write per line so lines of different ranks never interleave.
#pragma once

#include <sstream>
#include <string>

namespace au::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

/// Sets the rank and world size shown in every line ("[r1/3]"); called once by MpiSession.
void setRank(int rank, int size);
int rank();
void setLevel(Level level);
Level level();
/// Writes one line "<time> [rR/S] LEVEL message" to stderr if `level` is enabled.
void write(Level level, const std::string& message);

template <typename... Args>
std::string join(Args&&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

template <typename... Args>
void debug(Args&&... args) {
  if (level() <= Level::kDebug) write(Level::kDebug, join(std::forward<Args>(args)...));
}
template <typename... Args>
void info(Args&&... args) {
  if (level() <= Level::kInfo) write(Level::kInfo, join(std::forward<Args>(args)...));
}
template <typename... Args>
void warn(Args&&... args) {
  write(Level::kWarn, join(std::forward<Args>(args)...));
}
template <typename... Args>
void error(Args&&... args) {
  write(Level::kError, join(std::forward<Args>(args)...));
}
/// Info printed by rank 0 only: for messages every rank would print identically.
template <typename... Args>
void root(Args&&... args) {
  if (rank() == 0) info(std::forward<Args>(args)...);
}

}  // namespace au::log
