# How ksim builds fast (README, "Build time"): on the project's 2-core machine
# a cold build is mostly parsing the same headers again in each of ~300 small
# files, so:
#   - unity builds: each target compiles its sources in batches of
#     KSIM_UNITY_BATCH_SIZE files, one compiler run per batch. Sources are
#     still picked up by the directory globs; a file joins a batch by itself.
#     Helpers in an anonymous namespace must therefore not repeat a name used
#     in another file of the same target (a unity build reports
#     "redefinition"); shared helpers live in core/base/.
#   - precompiled headers for the heavy third-party headers (Catch2,
#     RapidCheck, nlohmann/json), built once and reused by every test binary;
#   - ccache, when it is installed, for every rebuild after the first.
# -DKSIM_UNITY_BUILD=OFF -DKSIM_PCH=OFF give the one-file-per-compile build
# (an IDE's or a bisect's choice: a change recompiles only its own file).
option(KSIM_UNITY_BUILD "Compile each target's sources in batches (unity build)" ON)
set(KSIM_UNITY_BATCH_SIZE 8 CACHE STRING "Source files per unity batch")
option(KSIM_PCH "Precompile the heavy third-party headers" ON)
option(KSIM_CCACHE "Compile through ccache when it is installed" ON)

if(KSIM_UNITY_BUILD)
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE ${KSIM_UNITY_BATCH_SIZE})
endif()

# ccache: only when the user has not named a launcher of their own. With
# precompiled headers ccache needs the pch_defines and time_macros
# sloppiness (ccache's manual, "Precompiled headers"), given here so no
# ccache.conf is needed.
if(KSIM_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(KSIM_CCACHE_PROGRAM ccache)
  if(KSIM_CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros
        ${KSIM_CCACHE_PROGRAM})
    message(STATUS "ksim: compiling through ${KSIM_CCACHE_PROGRAM}")
  endif()
endif()
