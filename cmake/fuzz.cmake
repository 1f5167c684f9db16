# Fuzz harnesses (fuzz/*.c): each is built as fuzz_<name> (libFuzzer, with
# GRL_FUZZ) and as replay_<name> (a plain program run by ctest over the
# committed corpus and regression inputs, in every build with tests).
set(GRL_FUZZ_DIR ${CMAKE_SOURCE_DIR}/fuzz)
if(NOT GRL_FUZZ AND NOT GRL_BUILD_TESTS)
  return()
endif()
# what every harness shares, compiled once
add_library(grl_fuzz_common OBJECT ${GRL_FUZZ_DIR}/fuzz_util.c
            ${GRL_FUZZ_DIR}/check_graph.c)
target_link_libraries(grl_fuzz_common PRIVATE grl) # its include paths
set(GRL_FUZZ_COMMON $<TARGET_OBJECTS:grl_fuzz_common>)
if(GRL_FUZZ)
  # the harnesses alone (make fuzz builds this, not the CLI and examples)
  add_custom_target(fuzz_all)
endif()

# grl_add_harness(NAME SOURCE [DEFINITIONS...]); a definition
# FUZZ_FILE_OFFSET=k marks a binary format: the fuzzer then also links the
# checksum-rewriting mutator (fuzz/binfile_mutator.c).
function(grl_add_harness name source)
  set(defs ${ARGN})
  if(GRL_FUZZ)
    add_executable(fuzz_${name} ${GRL_FUZZ_DIR}/${source} ${GRL_FUZZ_COMMON})
    if(defs MATCHES "FUZZ_FILE_OFFSET")
      target_sources(fuzz_${name} PRIVATE ${GRL_FUZZ_DIR}/binfile_mutator.c)
      target_include_directories(fuzz_${name} PRIVATE ${CMAKE_SOURCE_DIR}/core)
    endif()
    target_compile_definitions(fuzz_${name} PRIVATE ${defs})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(fuzz_${name} PRIVATE grl_static)
    add_dependencies(fuzz_all fuzz_${name})
  endif()
  if(GRL_BUILD_TESTS)
    add_executable(replay_${name} ${GRL_FUZZ_DIR}/${source} ${GRL_FUZZ_COMMON}
                   ${GRL_FUZZ_DIR}/replay_main.c)
    target_compile_definitions(replay_${name} PRIVATE ${defs})
    target_link_libraries(replay_${name} PRIVATE grl)
    add_test(NAME fuzz_replay_${name} COMMAND replay_${name}
             ${GRL_FUZZ_DIR}/corpus/${name} ${GRL_FUZZ_DIR}/regressions/${name})
  endif()
endfunction()

foreach(pair edgelist:EDGELIST csv:CSV mtx:MATRIX_MARKET grl:GRL
        graphml:GRAPHML gml:GML pajek:PAJEK)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 name)
  list(GET pair 1 format)
  set(extra "")
  if(name STREQUAL "grl")
    set(extra FUZZ_FILE_OFFSET=1 # after the option byte
        FUZZ_BLOCK_CHECKSUM=1)
  endif()
  grl_add_harness(${name} fuzz_graph.c FUZZ_FORMAT=GRL_FORMAT_${format} ${extra})
endforeach()
grl_add_harness(npy fuzz_npy.c)
grl_add_harness(features fuzz_features.c)
grl_add_harness(labels fuzz_labels.c)
grl_add_harness(dag_data fuzz_dag_data.c)
grl_add_harness(node_data fuzz_node_data.c)
grl_add_harness(graph_set fuzz_graph_set.c)
grl_add_harness(npz fuzz_npz.c)
grl_add_harness(ppr_index fuzz_ppr_index.c FUZZ_FILE_OFFSET=0)
grl_add_harness(ncn_model fuzz_ncn_model.c FUZZ_FILE_OFFSET=0)
grl_add_harness(partition fuzz_partition.c FUZZ_FILE_OFFSET=1) # after the file byte
grl_add_harness(fpgnn_model fuzz_fpgnn_model.c FUZZ_FILE_OFFSET=0)
grl_add_harness(adpa_model fuzz_adpa_model.c FUZZ_FILE_OFFSET=0)
if(GRL_FUZZ AND TARGET fuzz_mpi_ppr_index) # cmake/mpi.cmake's harness
  add_dependencies(fuzz_all fuzz_mpi_ppr_index)
endif()
