# Helpers shared by every layer's CMakeLists.txt.
#
# dra_cc_library(NAME name SRCS ... DEPS ...): a static library of our own code, built with
# -Wall -Wextra -Werror; include paths are rooted at the repository (#include "dra/base/status.h").
# dra_cc_test(NAME name SRCS ... DEPS ... [LABELS ...]): a GoogleTest binary registered with ctest.
# Prefer few, larger test binaries per layer: linking dominates the build time on small machines.

# -Wno-restrict: GCC 12 reports false positives inside libstdc++ string code at -O2 (GCC bug 105329).
set(DRA_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)

function(dra_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${ARG_NAME} PRIVATE ${DRA_WARNINGS})
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

function(dra_cc_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT DRA_BUILD_TESTS)
    return()
  endif()
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_compile_options(${ARG_NAME} PRIVATE ${DRA_WARNINGS})
  target_compile_definitions(${ARG_NAME} PRIVATE
    DRA_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DRA_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME} --gtest_brief=1)
  set_tests_properties(${ARG_NAME} PROPERTIES WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  if(ARG_LABELS)
    set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
