// AU_MPI_CHECK: turns a failed MPI call into an au::Error naming the call and the MPI message.
#pragma once

#include <mpi.h>

#include <string>

#include "common/error.h"

namespace au::mpi::detail {
inline std::string mpiErrorText(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return std::string(text, static_cast<size_t>(length));
}
}  // namespace au::mpi::detail

#define AU_MPI_CHECK(call)                                                                        \
  do {                                                                                            \
    const int au_mpi_rc_ = (call);                                                                \
    if (au_mpi_rc_ != MPI_SUCCESS)                                                                \
      throw ::au::Error(::au::detail::concat(#call, " failed at ", __FILE__, ":", __LINE__, ": ", \
                                             ::au::mpi::detail::mpiErrorText(au_mpi_rc_)));       \
  } while (0)
