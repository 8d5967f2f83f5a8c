#include "common/stop_signal.h"

#include <atomic>
#include <csignal>

namespace au {
namespace {
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void onStopSignal(int signal_number) { g_stop_signal = signal_number; }
}  // namespace

void installStopSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // interrupted reads and writes carry on
  sigaction(SIGUSR1, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stopRequested() { return g_stop_signal != 0; }
int stopSignal() { return g_stop_signal; }
void requestStop(int signal_number) { g_stop_signal = signal_number; }

}  // namespace au
