#include "infer/fold_families.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::infer {
namespace {

constexpr const char* kWhat = "au_train's config.ini";

std::string trimmed(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

// One line of an INI file: updates `section` on a "[name]" line; returns the key of a
// "key = value" line of [train] (and its value in `value`), else "".
std::string trainKey(const std::string& line, std::string& section, std::string& value) {
  const std::string text = trimmed(line);
  if (!text.empty() && text.front() == '[' && text.back() == ']') {
    section = trimmed(text.substr(1, text.size() - 2));
    return "";
  }
  const auto eq = text.find('=');
  if (section != "train" || text.empty() || text.front() == '#' || eq == std::string::npos)
    return "";
  value = trimmed(text.substr(eq + 1));
  return trimmed(text.substr(0, eq));
}

// [train] settings that say how or where a run ran, not what it trains: a fold requeued with
// --train.resume, or run on other hardware, is still the same model.
const std::set<std::string> kRunOnlyKeys = {
    "fold",
    "run_dir",
    "resume",
    "device",
    "threads",
    "precision",
    "cuda_graph",
    "val_batch",
    "progress_interval_s",
    "verify_shards",
    "signal_step",
    "signal_rank",
    "signal_number",
    "crash_in_validation"};  // options of runs from before failpoints

// `path` with "fold<fold>" (not followed by a digit) written as "fold<k>": a chained model's
// fold k starts from its parent's fold k (jobs/experiment.sh), so that is one family.
std::string withoutFold(std::string path, int fold) {
  const std::string tag = "fold" + std::to_string(fold);
  for (size_t at = path.find(tag); at != std::string::npos; at = path.find(tag, at + 1)) {
    const size_t end = at + tag.size();
    if (end < path.size() && std::isdigit(static_cast<unsigned char>(path[end]))) continue;
    path.replace(at, tag.size(), "fold<k>");
  }
  return path;
}

// What makes runs one family: the config.ini text without the run-only [train] lines above and
// the [loader] and [mpi] sections, the init checkpoint's own fold written as <k>. Comparing
// au_train's own dump as text (rather than parsing it) keeps every other setting, the seed
// included, part of the identity: runs that differ in anything else are other models.
std::string familyKey(const std::string& config_text, int fold) {
  std::istringstream in(config_text);
  std::string key, section, value;
  for (std::string line; std::getline(in, line);) {
    const std::string k = trainKey(line, section, value);
    if (k == "init_checkpoint")
      key += "init_checkpoint = " + withoutFold(value, fold) + "\n";
    else if (section != "loader" && section != "mpi" && !kRunOnlyKeys.count(k))
      key += line + "\n";
  }
  return key;
}

// "runs/r18_fold2" -> "runs/r18" and "runs/r18/fold2" -> "runs/r18" (how k-fold runs are
// usually named); otherwise the runs' common prefix, so the name still says where they live.
std::string familyName(const std::vector<FoldRun>& runs) {
  std::string dir = runs.front().dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::string stem = dir;
  while (!stem.empty() && std::isdigit(static_cast<unsigned char>(stem.back()))) stem.pop_back();
  if (stem.size() < dir.size() && stem.size() >= 4 &&
      stem.compare(stem.size() - 4, 4, "fold") == 0) {
    stem.resize(stem.size() - 4);
    if (!stem.empty() && std::string("_-./").find(stem.back()) != std::string::npos)
      stem.pop_back();
    if (!stem.empty() && stem.back() != '/') return stem;
  }
  std::string prefix = dir;
  for (const auto& r : runs) {
    size_t n = 0;
    while (n < prefix.size() && n < r.dir.size() && prefix[n] == r.dir[n]) ++n;
    prefix.resize(n);
  }
  while (!prefix.empty() && std::string("_-./").find(prefix.back()) != std::string::npos)
    prefix.pop_back();
  return prefix.empty() ? "folds" : prefix;
}

}  // namespace

int runFold(const std::string& run_dir) {
  const std::string path = run_dir + "/config.ini";
  if (!std::filesystem::exists(path)) return -1;
  std::istringstream in(readInputFile(path, kWhat));
  std::string section, value;
  long n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (trainKey(line, section, value) != "fold") continue;
    char* end = nullptr;
    const long fold = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0')
      throw DataError(path, n, "fold '" + value + "' is not a whole number");
    return static_cast<int>(fold);
  }
  return -1;
}

std::vector<FoldFamily> groupFoldFamilies(const std::vector<FoldRun>& runs) {
  std::vector<FoldFamily> families;
  std::vector<std::string> keys;  // per family, its familyKey
  for (const auto& run : runs) {
    AU_CHECK(run.fold >= 0, "run ", run.dir, " has no fold");
    const std::string key = familyKey(readInputFile(run.dir + "/config.ini", kWhat), run.fold);
    const auto at = std::find(keys.begin(), keys.end(), key);
    if (at == keys.end()) {
      keys.push_back(key);
      families.push_back({"", {run}});
      continue;
    }
    auto& family = families[static_cast<size_t>(at - keys.begin())];
    for (const auto& other : family.runs)
      if (other.fold == run.fold)
        AU_THROW(UsageError, "runs ", other.dir, " and ", run.dir, " both validate on fold ",
                 run.fold,
                 " with the same configuration (config.ini equal apart from run_dir): give "
                 "au_select one of them");
    family.runs.push_back(run);
  }
  std::vector<std::string> names;
  for (auto& family : families) {
    std::sort(family.runs.begin(), family.runs.end(),
              [](const FoldRun& a, const FoldRun& b) { return a.fold < b.fold; });
    // Candidate names must be unique (the spec refers to them by name).
    const std::string base = familyName(family.runs);
    family.name = base;
    for (int n = 2; std::find(names.begin(), names.end(), family.name) != names.end(); ++n)
      family.name = base + "#" + std::to_string(n);
    names.push_back(family.name);
  }
  return families;
}

}  // namespace au::infer
