# Test registration helpers: au_add_test for plain GoogleTest binaries, au_add_mpi_test for
# binaries that must really run under mpiexec with several ranks.

include(GoogleTest)

# Flags this machine's mpiexec needs, from the one place that knows them (jobs/mpi_flags.sh),
# for the largest rank count the MPI tests use.
set(AU_MPIEXEC_FLAGS "" CACHE STRING "Extra flags for mpiexec in MPI tests (auto-detected if empty)")
if(NOT AU_MPIEXEC_FLAGS)
  execute_process(COMMAND bash ${CMAKE_SOURCE_DIR}/jobs/mpi_flags.sh 3 OUTPUT_VARIABLE _au_flags
                  OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  separate_arguments(AU_MPIEXEC_FLAGS UNIX_COMMAND "${_au_flags}")
endif()

# au_add_test(NAME SOURCES... LIBS ...): a GoogleTest binary whose tests ctest lists one by one.
function(au_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()

# au_add_mpi_test(NAME SOURCES... LIBS ... RANKS 2 3): one ctest entry per rank count, each
# running the binary under mpiexec -n N. The binary uses tests/mpi_test_main.cpp as its main.
function(au_add_mpi_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;RANKS" ${ARGN})
  if(NOT ARG_RANKS)
    set(ARG_RANKS 2 3)
  endif()
  add_executable(${name} ${ARG_SOURCES} ${CMAKE_SOURCE_DIR}/tests/mpi_test_main.cpp)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} au_mpi GTest::gtest MPI::MPI_C)
  target_compile_definitions(${name} PRIVATE OMPI_SKIP_MPICXX MPICH_SKIP_MPICXX)
  foreach(n IN LISTS ARG_RANKS)
    add_test(NAME ${name}_np${n}
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} ${AU_MPIEXEC_FLAGS}
                     $<TARGET_FILE:${name}>)
    set_tests_properties(${name}_np${n} PROPERTIES LABELS mpi PROCESSORS ${n} TIMEOUT 300)
  endforeach()
endfunction()

# au_add_script_test(NAME COMMAND ... [LABELS ...]): an end-to-end test driven by a script.
function(au_add_script_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "COMMAND;LABELS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  add_test(NAME ${name} COMMAND ${ARG_COMMAND})
  string(JOIN " " _flags ${AU_MPIEXEC_FLAGS})
  set_tests_properties(${name} PROPERTIES LABELS "e2e;${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "AU_BIN=${CMAKE_BINARY_DIR}/bin;AU_MPIEXEC=${MPIEXEC_EXECUTABLE};AU_MPIEXEC_FLAGS=${_flags};AU_PYTHON=${AU_PYTHON};AU_SHARED=${CMAKE_SOURCE_DIR}/../shared")
endfunction()
