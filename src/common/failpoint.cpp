#include "common/failpoint.h"

#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>

#include "common/error.h"

namespace au::failpoint {

const std::vector<std::string> kFailpointNames = {
    "prep.frame_written",  // au_prep, after each frame a rank writes: rank, written
    "train.step_done",     // au_train, after each optimiser step: rank, step (global steps done)
    "train.before_validation",  // au_train, as an epoch's validation starts: rank, epoch (1-based)
    "infer.video",              // au_infer, as a rank starts a test video: rank, video
    "video.file",               // au_video, as a rank starts a file: rank, file (its name)
};

namespace {

struct Failpoint {
  std::string name;
  std::map<std::string, std::string> when;  // every pair must match the site's context
  std::string action;                       // crash, signal, throw or exit
  int number = 0;                           // signal(N), exit(N)
};

struct Registry {
  std::mutex mutex;
  // The environment's list, parsed at the first site reached, or configure()'s.
  std::optional<std::vector<Failpoint>> parsed;
};

Registry& registry() {
  static Registry r;
  return r;
}

const char* listFromEnvironment() {
  const char* list = std::getenv("AU_FAILPOINTS");
  return list ? list : "";
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(separator, start)) != std::string::npos; start = at + 1)
    parts.push_back(text.substr(start, at - start));
  parts.push_back(text.substr(start));
  return parts;
}

int numberIn(const std::string& action, const std::string& entry) {
  const size_t open = action.find('('), close = action.size() - 1;
  try {
    size_t used = 0;
    const std::string digits = action.substr(open + 1, close - open - 1);
    const int n = std::stoi(digits, &used);
    if (used == digits.size()) return n;
  } catch (const std::exception&) {
  }
  AU_THROW(UsageError, "AU_FAILPOINTS: '", entry, "': expected a number in ", action);
}

Failpoint parseEntry(const std::string& entry) {
  const size_t eq = entry.rfind('=');
  if (eq == std::string::npos || eq == 0)
    AU_THROW(UsageError, "AU_FAILPOINTS: '", entry, "' is not NAME[KEY=VALUE,...]=ACTION");
  Failpoint f;
  std::string target = entry.substr(0, eq);
  f.action = entry.substr(eq + 1);
  if (const size_t bracket = target.find('['); bracket != std::string::npos) {
    if (target.back() != ']') AU_THROW(UsageError, "AU_FAILPOINTS: '", entry, "': unclosed [");
    for (const auto& pair : split(target.substr(bracket + 1, target.size() - bracket - 2), ',')) {
      const size_t at = pair.find('=');
      if (at == std::string::npos || at == 0)
        AU_THROW(UsageError, "AU_FAILPOINTS: '", entry, "': '", pair, "' is not KEY=VALUE");
      f.when[pair.substr(0, at)] = pair.substr(at + 1);
    }
    target.resize(bracket);
  }
  f.name = target;
  bool known = false;
  for (const auto& name : kFailpointNames) known = known || name == f.name;
  if (!known) {
    std::string names;
    for (const auto& name : kFailpointNames) names += (names.empty() ? "" : ", ") + name;
    AU_THROW(UsageError, "AU_FAILPOINTS: unknown failpoint '", f.name, "' (known: ", names, ")");
  }
  const auto with_number = [&](const char* prefix) {
    return f.action.rfind(prefix, 0) == 0 && f.action.back() == ')';
  };
  if (with_number("signal(")) {
    f.number = numberIn(f.action, entry);
    f.action = "signal";
  } else if (with_number("exit(")) {
    f.number = numberIn(f.action, entry);
    f.action = "exit";
  } else if (f.action != "crash" && f.action != "throw") {
    AU_THROW(UsageError, "AU_FAILPOINTS: '", entry, "': unknown action '", f.action,
             "' (crash, signal(N), throw or exit(N))");
  }
  return f;
}

std::vector<Failpoint> parse(const std::string& list) {
  std::vector<Failpoint> failpoints;
  for (const auto& entry : split(list, ';'))
    if (!entry.empty()) failpoints.push_back(parseEntry(entry));
  return failpoints;
}

bool matches(const Failpoint& f, const char* name, std::initializer_list<Where> where) {
  if (f.name != name) return false;
  for (const auto& [key, value] : f.when) {
    const Where* found = nullptr;
    for (const auto& w : where)
      if (key == w.key) found = &w;
    if (!found)
      AU_THROW(UsageError, "AU_FAILPOINTS: failpoint ", name, " has no '", key, "' to match");
    if (found->value != value) return false;
  }
  return true;
}

}  // namespace

namespace detail {

bool g_enabled = *listFromEnvironment() != '\0';

void hit(const char* name, std::initializer_list<Where> where) {
  std::optional<Failpoint> fire;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    if (!r.parsed) r.parsed = parse(listFromEnvironment());
    for (const auto& f : *r.parsed)
      if (matches(f, name, where)) {
        fire = f;
        break;
      }
  }
  if (!fire) return;
  if (fire->action == "crash") std::raise(SIGKILL);
  if (fire->action == "signal") std::raise(fire->number);
  if (fire->action == "exit") std::_Exit(fire->number);
  if (fire->action == "throw") AU_THROW(Error, "failpoint ", name);
}

}  // namespace detail

void configure(const std::string& list) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.parsed = parse(list);  // a malformed list throws here, leaving the old one
  detail::g_enabled = !list.empty();
}

}  // namespace au::failpoint
