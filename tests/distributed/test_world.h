// The MPI world every distributed test runs in (mpi_test_main.cpp initialises MPI).
#pragma once

#include "mpi/process_group.h"

namespace au::distributed {

inline mpi::ProcessGroup& world() {
  static mpi::ProcessGroup group = mpi::ProcessGroup::world();
  return group;
}

}  // namespace au::distributed
