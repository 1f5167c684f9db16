#!/usr/bin/env bash
# Run libFuzzer harnesses, each for SECONDS, one after another.
# usage: fuzz/run.sh BUILD_DIR SECONDS [HARNESS...]   (default: all)
# Each harness starts from its committed seeds (fuzz/corpus/NAME, read only)
# plus what earlier runs found (BUILD_DIR/fuzz-corpus/NAME); crashes, hangs
# and OOMs land in BUILD_DIR/fuzz-artifacts/NAME/, logs in
# BUILD_DIR/fuzz-logs/NAME.log. Prints one line per harness; exits non-zero
# if any harness failed.
set -uo pipefail
BUILD=$(cd "$1" && pwd)
SECONDS_EACH=$2
shift 2
FUZZ=$(cd "$(dirname "$0")" && pwd)
HARNESSES=("$@")
if [ ${#HARNESSES[@]} -eq 0 ]; then
    HARNESSES=($(ls "$FUZZ/corpus"))
fi
# per-input limit: well above the slowest honest input, far below the run
TIMEOUT=${FUZZ_TIMEOUT:-30}
failed=0
printf '%-10s %8s %10s %8s  %s\n' harness seconds execs corpus result
for name in "${HARNESSES[@]}"; do
    bin="$BUILD/fuzz_$name"
    work="$BUILD/fuzz-corpus/$name"
    art="$BUILD/fuzz-artifacts/$name"
    log="$BUILD/fuzz-logs/$name.log"
    mkdir -p "$work" "$art" "$(dirname "$log")"
    if [ ! -x "$bin" ]; then
        echo "fuzz/run.sh: $bin is missing (build with GRL_FUZZ=ON)" >&2
        failed=1
        continue
    fi
    touch "$art/.start"
    # an MPI harness: Open MPI keeps what MPI_Init allocates past
    # MPI_Finalize; suppress leaks through its libraries only, as the MPI
    # tests do (cmake/mpi.cmake)
    extra_env=()
    case "$name" in mpi_*)
        extra_env=(LSAN_OPTIONS="suppressions=$FUZZ/../tests/mpi_lsan.supp:fast_unwind_on_malloc=0"
                   OMPI_MCA_mca_base_component_disable_dlclose=1
                   OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1) ;;
    esac
    env "${extra_env[@]}" "$bin" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
        -timeout="$TIMEOUT" -print_final_stats=1 -artifact_prefix="$art/" \
        "$work" "$FUZZ/corpus/$name" > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(ls "$work" | wc -l)
    seeds=$(ls "$FUZZ/corpus/$name" | wc -l)
    result=ok
    # artifacts of earlier runs stay for inspection but do not count
    if [ $rc -ne 0 ] || [ -n "$(find "$art" -type f -newer "$art/.start" ! -name .start)" ]; then
        result="FAILED (exit $rc; see $log and $art)"
        failed=1
    fi
    printf '%-10s %8s %10s %8s  %s\n' "$name" "$SECONDS_EACH" "${execs:-?}" \
        "$((corpus + seeds))" "$result"
done
exit $failed
