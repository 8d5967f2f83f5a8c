// MPI lifetime for a program: init, finalize, and abort so that no rank waits forever when
// another one fails.
#pragma once

namespace au::mpi {

/// Initialises MPI and finalises it on destruction. Asks for MPI_THREAD_SERIALIZED so that a
/// communication thread may call MPI while the main thread computes (distributed::MpiCommunicator).
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  /// Ends every rank of the job with `exit_code` (MPI_Abort on the world communicator).
  [[noreturn]] static void abort(int exit_code);
};

}  // namespace au::mpi
