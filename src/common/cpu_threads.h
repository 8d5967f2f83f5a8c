// How many compute threads a process should run: the CPUs it may use, shared with the other
// ranks on its node unless the launcher gave it CPUs of its own.
#pragma once

namespace au {

/// CPUs this process may run on (sched_getaffinity; hardware_concurrency where unavailable).
int usableCpus();

/// Threads for one of `ranks_on_node` ranks: its CPUs if the launcher bound it to fewer than
/// the node has (e.g. mpirun's per-core binding, srun --cpus-per-task), else the node's CPUs
/// divided among the ranks. At least 1.
int defaultThreads(int ranks_on_node);

}  // namespace au
