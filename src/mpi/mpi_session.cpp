#include "mpi/mpi_session.h"

#include <mpi.h>

#include <cstdlib>

#include "common/log.h"
#include "mpi/mpi_check.h"

namespace au::mpi {

MpiSession::MpiSession(int* argc, char*** argv) {
  int provided = 0;
  AU_MPI_CHECK(MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided));
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  log::setRank(rank, size);
}

MpiSession::~MpiSession() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void MpiSession::abort(int exit_code) {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);  // MPI_Abort should not return; make sure we do not either.
}

}  // namespace au::mpi
