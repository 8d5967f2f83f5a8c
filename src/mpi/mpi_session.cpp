#include "mpi/mpi_session.h"

#include <mpi.h>

#include <cstdlib>

#include "common/log.h"
#include "mpi/mpi_check.h"

namespace au::mpi {
namespace {

// Collectives wait under the rank watch, so they are non-blocking. Open MPI 4.1's libnbc picks
// the binomial tree for every in-place MPI_Iallreduce, about 2.5x slower than the blocking one
// on a 65 MB gradient buffer between 2 ranks; its ring algorithm (binomial below one element
// per rank) matches the blocking one (BENCHMARKS.md). Set through MPI_T, and only when the user
// left the choice to Open MPI (OMPI_MCA_coll_libnbc_iallreduce_algorithm unset); elsewhere
// (another MPI, or no such variable) nothing changes.
void preferRingIallreduce() {
  int provided = 0;
  if (MPI_T_init_thread(MPI_THREAD_SINGLE, &provided) != MPI_SUCCESS) return;
  int index = 0;
  if (MPI_T_cvar_get_index("coll_libnbc_iallreduce_algorithm", &index) == MPI_SUCCESS) {
    MPI_T_cvar_handle handle;
    int count = 0;
    if (MPI_T_cvar_handle_alloc(index, nullptr, &handle, &count) == MPI_SUCCESS) {
      int value = -1;
      if (count == 1 && MPI_T_cvar_read(handle, &value) == MPI_SUCCESS && value == 0) {
        value = 1;  // ring
        MPI_T_cvar_write(handle, &value);
      }
      MPI_T_cvar_handle_free(&handle);
    }
  }
  MPI_T_finalize();
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  int provided = 0;
  AU_MPI_CHECK(MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided));
  preferRingIallreduce();
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
