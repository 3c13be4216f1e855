# Version, revision, branch and build date for `argus --version` and argus_build_info.
# Recomputed whenever git's HEAD moves (the reflog changes on every commit and checkout).
find_package(Git QUIET)
set(ARGUS_REVISION "unknown")
set(ARGUS_BRANCH "unknown")
if(GIT_FOUND AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse HEAD WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE ARGUS_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --abbrev-ref HEAD
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE ARGUS_BRANCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  foreach(f "${CMAKE_SOURCE_DIR}/.git/HEAD" "${CMAKE_SOURCE_DIR}/.git/logs/HEAD")
    if(EXISTS "${f}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${f}")
    endif()
  endforeach()
endif()
if(NOT ARGUS_REVISION MATCHES "^[0-9a-f]+$")
  set(ARGUS_REVISION "unknown")
endif()
if(NOT ARGUS_BRANCH OR ARGUS_BRANCH STREQUAL "HEAD")
  set(ARGUS_BRANCH "unknown")
endif()
string(TIMESTAMP ARGUS_BUILD_DATE "%Y%m%d-%H:%M:%S" UTC)
cmake_host_system_information(RESULT ARGUS_BUILD_HOST QUERY HOSTNAME)
set(ARGUS_BUILD_USER "$ENV{USER}@${ARGUS_BUILD_HOST}")
set(ARGUS_COMPILER "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
configure_file(${CMAKE_SOURCE_DIR}/src/base/buildinfo_values.h.in
               ${CMAKE_BINARY_DIR}/generated/base/buildinfo_values.h @ONLY)
