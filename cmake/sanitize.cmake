# GRL_SANITIZE: the whole build (library, CLI, tests) under ASan + UBSan, so
# ctest runs the suite with every sanitizer report fatal.
# GRL_FUZZ: the same sanitizers plus libFuzzer's coverage instrumentation
# (clang only); the harnesses in fuzz/ link libFuzzer itself.
option(GRL_SANITIZE "build everything with AddressSanitizer and UBSan" OFF)
option(GRL_FUZZ "build the libFuzzer harnesses in fuzz/ (needs CC=clang)" OFF)

set(GRL_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)

if(GRL_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "GRL_FUZZ needs clang (configure with CC=clang): "
            "libFuzzer ships with clang, not gcc")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link ${GRL_SANITIZER_FLAGS} -g)
  add_link_options(${GRL_SANITIZER_FLAGS})
elseif(GRL_SANITIZE)
  add_compile_options(${GRL_SANITIZER_FLAGS} -g)
  add_link_options(${GRL_SANITIZER_FLAGS})
  # python3 is not instrumented: the shim's test preloads the ASan runtime
  # that libgrl.so was linked against (gcc's shared libasan)
  # tests ask for absurd sizes on purpose and expect grl's out-of-memory
  # error: ASan must return NULL as glibc's malloc does, not abort
  set(GRL_ASAN_TEST_OPTIONS allocator_may_return_null=1)
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libasan.so
                  OUTPUT_VARIABLE GRL_ASAN_RUNTIME
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
