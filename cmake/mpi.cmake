# The distributed runtime (mpi/, include/grl/mpi.h): a library of its own,
# grl_mpi, so libgrl never links MPI. On by default when MPI is found.
find_package(MPI COMPONENTS C QUIET)
option(GRL_MPI "build grl_mpi and the partition-directory commands" ${MPI_C_FOUND})
if(NOT GRL_MPI)
  return()
endif()
if(NOT MPI_C_FOUND)
  message(FATAL_ERROR "GRL_MPI is ON but no MPI was found (Debian: libopenmpi-dev)")
endif()
file(GLOB GRL_MPI_SOURCES CONFIGURE_DEPENDS mpi/*.c)
add_library(grl_mpi SHARED ${GRL_MPI_SOURCES})
set_target_properties(grl_mpi PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION 0)
# mpi/ uses FastRP's kernels (embed/embed_internal.h), the walks' step
# (walks/walks_internal.h), the fixed-point kernel (gnn/fixed_point.h) and
# core helpers, so results match bit for bit
target_include_directories(grl_mpi PRIVATE ${CMAKE_SOURCE_DIR}/core ${CMAKE_SOURCE_DIR}/embed
                           ${CMAKE_SOURCE_DIR}/walks ${CMAKE_SOURCE_DIR}/gnn)
target_link_libraries(grl_mpi PUBLIC grl MPI::MPI_C)
# GCC 12 takes MPI_UNWEIGHTED (a sentinel pointer) for a zero-length array
target_compile_options(grl_mpi PRIVATE -Wno-stringop-overread)
install(TARGETS grl_mpi LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
# the CLI runs commands over a partition directory through it
target_compile_definitions(grl_cli PRIVATE GRL_HAVE_MPI)
target_link_libraries(grl_cli PRIVATE grl_mpi)

# tests/test_mpi_ranks.c against one process, on 1, 2 and 4 ranks. CI runs
# as root: Open MPI refuses that unless allowed explicitly; --oversubscribe
# lets 4 ranks share this machine's 2 cores (one OpenMP thread each).
if(GRL_BUILD_TESTS)
  add_executable(test_mpi_ranks tests/test_mpi_ranks.c tests/testutil.c)
  # gnn/fixed_point.h: the single-process solve the distributed one matches
  target_include_directories(test_mpi_ranks PRIVATE ${CMAKE_SOURCE_DIR}/tests
                             ${CMAKE_SOURCE_DIR}/core ${CMAKE_SOURCE_DIR}/gnn)
  target_compile_definitions(test_mpi_ranks PRIVATE GRL_DATA_DIR="${GRL_DATA_DIR}")
  target_link_libraries(test_mpi_ranks PRIVATE grl_mpi PkgConfig::CMOCKA)
  set(GRL_MPIRUN ${MPIEXEC_EXECUTABLE} --oversubscribe --allow-run-as-root)
  foreach(ranks 1 2 4)
    add_test(NAME test_mpi_ranks_${ranks}
             COMMAND ${GRL_MPIRUN} ${MPIEXEC_NUMPROC_FLAG} ${ranks}
                     $<TARGET_FILE:test_mpi_ranks>)
    set_tests_properties(test_mpi_ranks_${ranks} PROPERTIES ENVIRONMENT
      "OMP_NUM_THREADS=1;OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"
      PROCESSORS ${ranks})
  endforeach()
endif()

# bench/bench_mpi.c, run by bench/bench_mpi.sh (from bench/run.sh)
if(GRL_BUILD_BENCH)
  add_executable(bench_mpi bench/bench_mpi.c)
  target_include_directories(bench_mpi PRIVATE ${CMAKE_SOURCE_DIR}/core)
  target_link_libraries(bench_mpi PRIVATE grl_mpi)
endif()

# the CLI over partition directories (tests/test_mpi_cli.sh)
if(GRL_BUILD_TESTS)
  add_test(NAME test_mpi_cli
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/test_mpi_cli.sh $<TARGET_FILE:grl_cli>
                   ${GRL_DATA_DIR} ${GRL_MPIRUN} ${MPIEXEC_PREFLAGS})
  set_tests_properties(test_mpi_cli PROPERTIES PROCESSORS 2)
endif()

# fuzz/fuzz_mpi_ppr_index.c: the partitioned index reader, fuzzed (with
# GRL_FUZZ) and replayed over its corpus by ctest, on one rank
if(GRL_BUILD_TESTS)
  add_executable(replay_mpi_ppr_index fuzz/fuzz_mpi_ppr_index.c fuzz/fuzz_util.c
                 fuzz/replay_main.c)
  target_link_libraries(replay_mpi_ppr_index PRIVATE grl_mpi)
  add_test(NAME fuzz_replay_mpi_ppr_index COMMAND replay_mpi_ppr_index
           ${CMAKE_SOURCE_DIR}/fuzz/corpus/mpi_ppr_index
           ${CMAKE_SOURCE_DIR}/fuzz/regressions/mpi_ppr_index)
  set_tests_properties(fuzz_replay_mpi_ppr_index PROPERTIES ENVIRONMENT
    "OMP_NUM_THREADS=1;OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
endif()

if(GRL_BUILD_TESTS AND GRL_SANITIZE)
  # Open MPI keeps some of what MPI_Init allocates past MPI_Finalize.
  # tests/mpi_lsan.supp names its libraries; for the names to appear in the
  # leak stacks, the stacks are unwound fully (its libraries have no frame
  # pointers) and its plugins stay loaded at exit (no dlclose). Leaks whose
  # stacks do not pass through Open MPI, grl_mpi's included, still fail.
  set_property(TEST test_mpi_ranks_1 test_mpi_ranks_2 test_mpi_ranks_4 test_mpi_cli
                    fuzz_replay_mpi_ppr_index
               APPEND PROPERTY ENVIRONMENT
               "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/mpi_lsan.supp:fast_unwind_on_malloc=0"
               OMPI_MCA_mca_base_component_disable_dlclose=1)
endif()

if(GRL_FUZZ)
  add_executable(fuzz_mpi_ppr_index fuzz/fuzz_mpi_ppr_index.c fuzz/fuzz_util.c
                 fuzz/binfile_mutator.c)
  target_include_directories(fuzz_mpi_ppr_index PRIVATE ${CMAKE_SOURCE_DIR}/core)
  target_compile_definitions(fuzz_mpi_ppr_index PRIVATE FUZZ_FILE_OFFSET=0)
  target_link_options(fuzz_mpi_ppr_index PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_mpi_ppr_index PRIVATE grl_mpi)
endif()
