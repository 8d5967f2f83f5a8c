// Exceptions that carry what failed and where, and the exit code a main should return for them.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

#include "common/exit_codes.h"

namespace au {

/// Base of every au-ensemble error; `exitCode()` is what the process should end with.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, int exit_code = kExitFailure)
      : std::runtime_error(what), exit_code_(exit_code) {}
  int exitCode() const { return exit_code_; }

 private:
  int exit_code_;
};

/// Bad command line or configuration file (exit 64).
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& what) : Error(what, kExitUsage) {}
};

/// Bad input data (exit 65). The message names the file and, when known, the line.
class DataError : public Error {
 public:
  DataError(const std::string& file, long line, const std::string& what)
      : Error(format(file, line, what), kExitDataError), file_(file), line_(line) {}
  const std::string& file() const { return file_; }
  long line() const { return line_; }

 private:
  static std::string format(const std::string& file, long line, const std::string& what) {
    return line > 0 ? file + ":" + std::to_string(line) + ": " + what : file + ": " + what;
  }
  std::string file_;
  long line_;
};

namespace detail {
template <typename... Args>
std::string concat(Args&&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}
}  // namespace detail

}  // namespace au

/// Throws au::Error naming the failed expression, the source location and a message (required).
#define AU_CHECK(cond, ...)                                                                  \
  do {                                                                                       \
    if (!(cond))                                                                             \
      throw ::au::Error(::au::detail::concat("check failed: ", #cond, " at ", __FILE__, ":", \
                                             __LINE__, ": ", __VA_ARGS__));                  \
  } while (0)

/// Throws `ErrorType` (an au::Error with a string constructor) with the message parts joined.
#define AU_THROW(ErrorType, ...) throw ErrorType(::au::detail::concat(__VA_ARGS__))
