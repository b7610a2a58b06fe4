# The checks every slihub build can turn on: warnings as errors in slihub's own code, clang's
# thread safety analysis over the ABSL_GUARDED_BY annotations, and the sanitizers.
#
#   SLIHUB_WERROR=ON|OFF          -Werror for slihub's own code (default ON). Generated protobuf
#                                 code is compiled with -w and its headers, like every third-party
#                                 header, are included as system headers, so neither can fail it.
#   SLIHUB_THREAD_SAFETY=ON|OFF   -Wthread-safety when the compiler has it (clang; default ON).
#   SLIHUB_SANITIZE=<list>        "address,undefined" (clang or g++) or "thread" (clang): compile
#                                 and link everything with -fsanitize=<list>; reports are fatal.
#   SLIHUB_JEMALLOC=ON|OFF        link the servers with jemalloc (default ON, forced OFF under
#                                 a sanitizer, which brings its own allocator).
#   SLIHUB_FUZZ=ON|OFF            build the libFuzzer targets in fuzz/ (clang only; default OFF):
#                                 every library is compiled with -fsanitize=fuzzer-no-link,
#                                 address,undefined and the targets link with -fsanitize=fuzzer.
include(CheckCXXCompilerFlag)

option(SLIHUB_WERROR "Treat warnings in slihub's own code as errors" ON)
option(SLIHUB_THREAD_SAFETY "Check ABSL_GUARDED_BY and friends with -Wthread-safety (clang)" ON)
set(SLIHUB_SANITIZE "" CACHE STRING
  "Sanitizers to build with: empty, address,undefined or thread")
option(SLIHUB_JEMALLOC "Link the servers with jemalloc (off under a sanitizer)" ON)
option(SLIHUB_FUZZ "Build the libFuzzer targets in fuzz/ (clang)" OFF)

add_compile_options(-Wall -Wextra -Wno-unused-parameter)
if(SLIHUB_WERROR)
  add_compile_options(-Werror)
endif()

# The LevelDB way: ask the compiler, and turn the analysis on only where it exists.
if(SLIHUB_THREAD_SAFETY)
  check_cxx_compiler_flag(-Wthread-safety SLIHUB_HAVE_WTHREAD_SAFETY)
  if(SLIHUB_HAVE_WTHREAD_SAFETY)
    add_compile_options(-Wthread-safety)
  endif()
endif()

if(SLIHUB_SANITIZE)
  string(REPLACE "," ";" _slihub_sanitizers "${SLIHUB_SANITIZE}")
  foreach(s ${_slihub_sanitizers})
    if(NOT s MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "SLIHUB_SANITIZE: unknown sanitizer '${s}' (address, undefined, thread)")
    endif()
  endforeach()
  if("thread" IN_LIST _slihub_sanitizers AND "address" IN_LIST _slihub_sanitizers)
    message(FATAL_ERROR "SLIHUB_SANITIZE: thread cannot be combined with address")
  endif()
  set(_slihub_san_flags -fsanitize=${SLIHUB_SANITIZE} -fno-omit-frame-pointer)
  if("undefined" IN_LIST _slihub_sanitizers)
    # A UBSan finding stops the process (non-zero exit) instead of printing and going on.
    list(APPEND _slihub_san_flags -fno-sanitize-recover=all)
  endif()
  add_compile_options(${_slihub_san_flags})
  add_link_options(${_slihub_san_flags})
  if(SLIHUB_JEMALLOC)
    message(STATUS "slihub: SLIHUB_SANITIZE is set, so the servers are not linked with jemalloc")
    set(SLIHUB_JEMALLOC OFF)  # a normal variable: the cached choice returns with no sanitizer
  endif()
  message(STATUS "slihub: sanitizers ${SLIHUB_SANITIZE}")
  if("thread" IN_LIST _slihub_sanitizers)
    # Debian's Abseil is not built with TSan: tell TSan what absl::Mutex and friends do (see the
    # file), in every executable, or every ABSL_GUARDED_BY field would be reported as a race.
    add_library(slihub_tsan_absl_sync OBJECT
      "${CMAKE_CURRENT_LIST_DIR}/sanitizers/tsan_absl_sync.cc")
    target_link_libraries(slihub_tsan_absl_sync PUBLIC absl::synchronization absl::status
      ${CMAKE_DL_LIBS})
    link_libraries(
      "$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:slihub_tsan_absl_sync>")
  endif()
endif()

if(SLIHUB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SLIHUB_FUZZ needs clang (libFuzzer); this build uses "
      "${CMAKE_CXX_COMPILER_ID}: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(SLIHUB_SANITIZE)
    message(FATAL_ERROR "SLIHUB_FUZZ brings its own sanitizers (address,undefined): "
      "leave SLIHUB_SANITIZE empty")
  endif()
  # Coverage instrumentation and the sanitizers in every library; the fuzz targets alone link
  # libFuzzer's main (fuzz/CMakeLists.txt adds -fsanitize=fuzzer to them).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  set(SLIHUB_JEMALLOC OFF)
  message(STATUS "slihub: libFuzzer targets with address,undefined")
endif()

# Tests that exercise threads against each other; `tools/dev check tsan` runs these (plus any
# test a CMakeLists.txt labels "concurrency" itself).
set(SLIHUB_CONCURRENCY_TESTS integration_placement_test)
