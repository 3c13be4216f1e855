# Helpers that give every target of ours the same warnings and include paths.

# Our code compiles with -Wall -Wextra -Werror; third-party headers come in as system headers.
function(argus_copts target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
  if(CMAKE_BUILD_TYPE STREQUAL "Debug" AND ARGUS_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false maybe-uninitialized warnings inside libstdc++ (std::regex,
    # std::function) when ASan instruments the code; release builds keep the warning. (Clang
    # has no such warning and rejects the unknown flag under -Werror.)
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR}/src
                                              ${CMAKE_BINARY_DIR}/generated)
endfunction()

# argus_library(NAME SRCS a.cc b.cc DEPS x y)
function(argus_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  argus_copts(${name})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# argus_test(NAME SRCS a_test.cc DEPS x y): a GoogleTest binary whose cases CTest lists one by one.
function(argus_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  argus_copts(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES ENVIRONMENT "ARGUS_BIN=$<TARGET_FILE:argus>")
endfunction()

# argus_fuzz(NAME SRCS a_fuzz.cc DEPS x y): a libFuzzer binary, only in the fuzz build mode
# (ARGUS_FUZZ; register it inside if(ARGUS_FUZZ)). It links test/fuzz's helpers, is built by the
# default target and listed in <build>/fuzzers.txt, which scripts/fuzz.sh runs.
function(argus_fuzz name)
  if(NOT ARGUS_FUZZ)
    message(FATAL_ERROR "argus_fuzz(${name}) outside the fuzz build mode: guard it with if(ARGUS_FUZZ)")
  endif()
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  argus_copts(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} argus_fuzz_util)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  add_dependencies(argus_fuzzers ${name})
  set_property(GLOBAL APPEND PROPERTY ARGUS_FUZZERS ${name})
endfunction()
