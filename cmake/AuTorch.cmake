# Finds LibTorch through the project's Python (torch.utils.cmake_prefix_path) and decides the
# CUDA/NCCL path: ON when the LibTorch found has CUDA and the CUDA toolkit and NCCL are present,
# whether or not a GPU is installed (so CI compiles the CUDA code it cannot run).

option(AU_WITH_TORCH "Build the LibTorch-based stages (model, training, inference)" ON)

set(AU_WITH_CUDA OFF)
set(AU_WITH_NCCL OFF)
if(AU_WITH_TORCH)
  if(NOT Torch_DIR)
    execute_process(
      COMMAND "${AU_PYTHON}" -c "import torch; print(torch.utils.cmake_prefix_path)"
      OUTPUT_VARIABLE _au_torch_prefix OUTPUT_STRIP_TRAILING_WHITESPACE
      RESULT_VARIABLE _au_torch_rc ERROR_QUIET)
    if(_au_torch_rc EQUAL 0)
      list(APPEND CMAKE_PREFIX_PATH "${_au_torch_prefix}")
    endif()
  endif()
  # Torch's config looks for the CUDA toolkit itself when the wheel is a CUDA build.
  if(EXISTS /usr/local/cuda/bin/nvcc AND NOT CUDAToolkit_ROOT)
    set(CUDAToolkit_ROOT /usr/local/cuda)
  endif()
  find_package(Torch QUIET)
  if(NOT Torch_FOUND)
    message(FATAL_ERROR "LibTorch not found via ${AU_PYTHON}. Run jobs/setup.sh first, or pass "
                        "-DAU_PYTHON=<python with torch> or -DTorch_DIR=..., or -DAU_WITH_TORCH=OFF.")
  endif()
  # Torch's flags (e.g. -D_GLIBCXX_USE_CXX11_ABI) must reach every target that includes it.
  add_library(au_torch INTERFACE)
  target_link_libraries(au_torch INTERFACE ${TORCH_LIBRARIES})
  target_compile_options(au_torch INTERFACE ${TORCH_CXX_FLAGS})

  # Torch's headers dominate compile time on small machines: they are precompiled once for
  # libraries (-fPIC) and once for executables (-fPIE: GCC refuses a header precompiled with the
  # other), and every target that includes torch reuses those: au_torch_pch(target).
  # -Winvalid-pch says so should GCC ever refuse one (it would silently parse the headers).
  file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/au_torch_pch/lib.cpp CONTENT "int au_torch_pch;\n")
  file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/au_torch_pch/main.cpp CONTENT "int main() { return 0; }\n")
  add_library(au_torch_pch_lib OBJECT ${CMAKE_BINARY_DIR}/au_torch_pch/lib.cpp)
  add_executable(au_torch_pch_exe ${CMAKE_BINARY_DIR}/au_torch_pch/main.cpp)
  foreach(_au_pch au_torch_pch_lib au_torch_pch_exe)
    target_link_libraries(${_au_pch} PRIVATE au_torch)
    target_compile_options(${_au_pch} PRIVATE -Winvalid-pch)
    target_precompile_headers(${_au_pch} PRIVATE <torch/torch.h>)
  endforeach()
  function(au_torch_pch target)
    get_target_property(_type ${target} TYPE)
    if(_type STREQUAL "EXECUTABLE")
      target_precompile_headers(${target} REUSE_FROM au_torch_pch_exe)
    else()
      target_precompile_headers(${target} REUSE_FROM au_torch_pch_lib)
    endif()
    target_compile_options(${target} PRIVATE -Winvalid-pch)
  endfunction()

  option(AU_ENABLE_CUDA "Build the CUDA/NCCL path when LibTorch has CUDA" ON)
  if(AU_ENABLE_CUDA AND TARGET torch_cuda)
    find_package(CUDAToolkit QUIET)
    find_path(AU_NCCL_INCLUDE_DIR nccl.h HINTS ${CUDAToolkit_INCLUDE_DIRS} /usr/local/cuda/include)
    find_library(AU_NCCL_LIBRARY nccl HINTS ${CUDAToolkit_LIBRARY_DIR} /usr/local/cuda/lib64)
    if(CUDAToolkit_FOUND)
      set(AU_WITH_CUDA ON)
    endif()
    if(AU_WITH_CUDA AND AU_NCCL_INCLUDE_DIR AND AU_NCCL_LIBRARY)
      set(AU_WITH_NCCL ON)
    endif()
  endif()
endif()
