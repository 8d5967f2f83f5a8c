// Named failpoints, as etcd (gofail), TiKV (fail-rs) and FreeBSD (fail(9)) have them: a name at
// a site in a production path where a test may inject a fault. Off unless the environment
// variable AU_FAILPOINTS names it; then the site costs one branch on a plain bool.
//
//   AU_FAILPOINTS="NAME[KEY=VALUE,...]=ACTION;..."
//     NAME     one of kFailpointNames (README.md, "Failpoints", says where each site is)
//     KEY=...  fire only where the site's context has these values (e.g. rank=1,step=5)
//     ACTION   crash      SIGKILL at once: nothing flushed, as when a node dies
//              signal(N)  raise signal N (15: SIGTERM, 10: SIGUSR1, as Slurm does;
//                         19: SIGSTOP, a hung rank)
//              throw      throw au::Error("failpoint NAME")
//              exit(N)    _Exit(N)
// A malformed list, an unknown name or a key the site does not have is a UsageError at the
// first site reached.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

namespace au::failpoint {

/// Every site, in the order README.md lists them.
extern const std::vector<std::string> kFailpointNames;

/// One value of a site's context.
struct Where {
  Where(const char* key, long long value) : key(key), value(std::to_string(value)) {}
  Where(const char* key, std::string value) : key(key), value(std::move(value)) {}
  const char* key;
  std::string value;
};

namespace detail {
extern bool g_enabled;  // AU_FAILPOINTS was set (or configure() was called with a list)
void hit(const char* name, std::initializer_list<Where> where);
}  // namespace detail

/// Replaces the environment's list (tests of this facility); "" turns every failpoint off.
/// Throws UsageError for a malformed list.
void configure(const std::string& list);

}  // namespace au::failpoint

/// A failpoint site: AU_FAILPOINT("train.step_done", {"rank", r}, {"step", s}). The context is
/// built only when failpoints are on.
#define AU_FAILPOINT(name, ...)                                                                \
  do {                                                                                         \
    if (::au::failpoint::detail::g_enabled) ::au::failpoint::detail::hit(name, {__VA_ARGS__}); \
  } while (0)
