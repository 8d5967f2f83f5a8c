# Sanitizer and fuzzing builds (jobs/test_sanitizers.sh makes them in folders of their own):
#   AU_SANITIZE=address  AddressSanitizer + UndefinedBehaviorSanitizer (any UB aborts the test)
#   AU_SANITIZE=thread   ThreadSanitizer
#   AU_FUZZ=ON           clang only: coverage for libFuzzer in every library, and the fuzz
#                        targets of tests/fuzz (one per parser of outside input)
# The flags go on every target, so the libraries under test are instrumented, not just the tests.

set(AU_SANITIZE "" CACHE STRING "Sanitizers to build with: address (ASan+UBSan), thread (TSan) or empty")
set_property(CACHE AU_SANITIZE PROPERTY STRINGS "" address thread)
option(AU_FUZZ "Build the libFuzzer targets of tests/fuzz (needs clang; implies AU_SANITIZE=address)" OFF)

if(AU_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "AU_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++ "
                        "-DCMAKE_C_COMPILER=clang")
  endif()
  if(NOT AU_SANITIZE STREQUAL "address")
    set(AU_SANITIZE address CACHE STRING "" FORCE)
  endif()
endif()

if(AU_SANITIZE STREQUAL "address")
  # -fno-sanitize-recover: an undefined behaviour fails the test instead of printing a line.
  set(_au_san -fsanitize=address,undefined -fno-sanitize-recover=undefined)
elseif(AU_SANITIZE STREQUAL "thread")
  set(_au_san -fsanitize=thread)
elseif(NOT AU_SANITIZE STREQUAL "")
  message(FATAL_ERROR "AU_SANITIZE must be address, thread or empty, not '${AU_SANITIZE}'")
endif()

if(_au_san)
  add_compile_options(${_au_san} -fno-omit-frame-pointer)
  add_link_options(${_au_san})
endif()
if(AU_FUZZ)
  # Coverage feedback in the libraries; only the fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
