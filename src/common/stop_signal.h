// SIGUSR1 and SIGTERM (what Slurm sends before a time limit or on preemption) only set a flag;
// the training loop polls it at step boundaries, the ranks agree, and the job checkpoints and
// exits 75 (requeue me).
#pragma once

namespace au {

/// Installs the handlers (idempotent). A second signal of either kind does not kill either:
/// the stop is already on its way.
void installStopSignalHandlers();
/// True once a stop signal arrived (a lock-free atomic flag, set by whichever thread took it).
bool stopRequested();
/// The signal that asked to stop (0 if none).
int stopSignal();
/// Sets the flag as a signal would (tests, and stopping after an in-process decision).
void requestStop(int signal_number);

}  // namespace au
