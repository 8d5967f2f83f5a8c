// Command-line and INI-file options bound straight into the fields of plain structs.
// Precedence: defaults < --config file(s) < command line. INI sections are dotted prefixes:
// `[prep] shard_frames = 100` is the same option as `--prep.shard_frames 100`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace au {

/// A program's options: components bind their struct fields, then `parse` fills them.
class OptionSet {
 public:
  /// `program` and `summary` head the --help text.
  OptionSet(std::string program, std::string summary);
  ~OptionSet();
  OptionSet(const OptionSet&) = delete;
  OptionSet& operator=(const OptionSet&) = delete;

  /// Binds `--name` to `*field`; the field's current value is the default.
  void add(const std::string& name, std::string* field, const std::string& help);
  void add(const std::string& name, int* field, const std::string& help);
  void add(const std::string& name, long long* field, const std::string& help);
  void add(const std::string& name, double* field, const std::string& help);
  void add(const std::string& name, float* field, const std::string& help);
  void add(const std::string& name, bool* field, const std::string& help);
  /// Comma-separated list, e.g. `--train.au_weights 1,2,1`.
  void add(const std::string& name, std::vector<double>* field, const std::string& help);
  void add(const std::string& name, std::vector<int>* field, const std::string& help);
  /// Adds a check run after parsing; it throws UsageError with a message naming the option.
  void addCheck(std::function<void()> check);

  /// What the caller should do after parsing: run, or print helpText()/dumpConfig() and exit 0.
  enum class Outcome { kRun, kHelp, kDumpConfig };
  /// Parses argv and any `--config FILE` (repeatable; later files override earlier ones).
  /// Prints nothing (under MPI only rank 0 should). Throws UsageError on unknown options or
  /// keys, unparsable values and failed checks.
  Outcome parse(int argc, const char* const* argv);
  /// The effective configuration as an INI text that `--config` accepts.
  std::string dumpConfig() const;
  std::string helpText() const;

 private:
  template <typename Real>
  void addReal(const std::string& name, Real* field, const std::string& help);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace au
