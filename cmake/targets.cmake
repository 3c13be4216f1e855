# Helpers that give every target of ours the same warnings and include paths.

# Our code compiles with -Wall -Wextra -Werror; third-party headers come in as system headers.
function(argus_copts target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
  if(CMAKE_BUILD_TYPE STREQUAL "Debug" AND ARGUS_SANITIZE)
    # GCC 12 reports false maybe-uninitialized warnings inside libstdc++ (std::regex,
    # std::function) when ASan instruments the code; release builds keep the warning.
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
