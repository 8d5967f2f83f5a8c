#include "common/stop_signal.h"

#include <atomic>
#include <csignal>

namespace au {
namespace {
// Lock-free, so safe in a handler; atomic, because any thread may take the signal.
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void onStopSignal(int signal_number) { g_stop_signal.store(signal_number); }
}  // namespace

void installStopSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // interrupted reads and writes carry on
  sigaction(SIGUSR1, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stopRequested() { return g_stop_signal.load() != 0; }
int stopSignal() { return g_stop_signal.load(); }
void requestStop(int signal_number) { g_stop_signal.store(signal_number); }

}  // namespace au
