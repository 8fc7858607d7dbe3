# Configures, builds and runs the bundle fuzzer for a short while from the seed corpus of real
# bundles (tests/fuzz/corpus). Called by ctest with -DSOURCE_DIR, -DBINARY_DIR, -DGENERATOR, -DRUNS.
find_program(CLANGXX clang++-14)
if(NOT CLANGXX)
    message(FATAL_ERROR "clang++-14 is missing: install clang-14 and libclang-rt-14-dev "
                        "(packaging/debian-test-deps.txt)")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
                        -DCMAKE_CXX_COMPILER=${CLANGXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo
                RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "configuring the fuzz target failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "building the fuzz target failed")
endif()
# New inputs go to the first folder, a scratch one; the committed seeds are only read.
file(REMOVE_RECURSE ${BINARY_DIR}/corpus)
file(MAKE_DIRECTORY ${BINARY_DIR}/corpus)
execute_process(COMMAND ${BINARY_DIR}/fuzz_bundle -runs=${RUNS} -seed=1 -rss_limit_mb=2048
                        ${BINARY_DIR}/corpus ${SOURCE_DIR}/corpus
                WORKING_DIRECTORY ${BINARY_DIR} RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "the fuzz target found a failure (see the crash file in ${BINARY_DIR})")
endif()
