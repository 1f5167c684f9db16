#!/usr/bin/env bash
# grl_mpi on a generated graph (bench/bench_mpi.c): per-rank peak memory
# against one process, halo rows per product against the METIS edge cut,
# and time per distributed product and per FastRP on 1, 2 and 4 ranks.
# usage: bench/bench_mpi.sh BUILD_DIR (bench/run.sh calls it when grl was
# built with MPI). BENCH_QUICK=1: 200k nodes instead of 2.1M.
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
B="$BUILD/bench_mpi"
n=$([ "${BENCH_QUICK:-0}" = 1 ] && echo 200000 || echo 2100000)
d=32
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# CI runs as root, which Open MPI refuses unless told; 4 ranks share 2 cores
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPIRUN="mpirun --oversubscribe --allow-run-as-root"

"$B" prepare "$WORK" "$n" > "$WORK/prep"
read -r _ _ nodes arcs t_gen < <(grep '^result graph' "$WORK/prep")
single1=$(OMP_NUM_THREADS=1 "$B" single "$WORK" $d | grep '^result')
single2=$(OMP_NUM_THREADS=2 "$B" single "$WORK" $d | grep '^result')
read -r _ _ _ _ t1 peak1 <<< "$single1"
read -r _ _ _ _ t2 _ <<< "$single2"

echo "### Partitioned graphs over MPI ranks (bench_mpi, FastRP d = $d)"
echo
echo "Generated graph: $nodes nodes, $arcs arcs (5 undirected edges per node:"
echo "9 in 10 to a node within $((1000)) places, 1 anywhere); partitioned by METIS."
echo "One process: FastRP $t1 s on 1 thread, $t2 s on 2; peak RSS $peak1 MiB."
echo "Each rank runs one OpenMP thread; this machine has $(nproc) cores, so 4 ranks"
echo "time-share them (their times bound what 4 machines would take from above)."
echo
echo "| ranks | METIS edge cut | halo rows | halo rows / (2 x cut) | halo MiB per product | product, s | FastRP, s | FastRP CPU, s (max rank) | peak RSS per rank, MiB (max / mean) | max / one process |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for K in 1 2 4; do
    read -r _ _ _ cut _ _ _ < <(grep "^result partition $K " "$WORK/prep")
    out=$(OMP_NUM_THREADS=1 $MPIRUN -np $K "$B" dist "$WORK/p$K" $d | grep '^result')
    read -r _ _ _ _ t_prod t_fastrp pmax pmean halo bytes cpu <<< "$out"
    awk -v K=$K -v cut=$cut -v halo=$halo -v bytes=$bytes -v tp=$t_prod \
        -v tf=$t_fastrp -v cpu=$cpu -v pmax=$pmax -v pmean=$pmean -v p1=$peak1 'BEGIN {
        ratio = "-"
        if (cut > 0) ratio = sprintf("%.2f", halo / (2 * cut))
        printf "| %d | %d | %d | %s | %.1f | %.3f | %.2f | %.2f | %.0f / %.0f | %.2f |\n",
            K, cut, halo, ratio, bytes / 1048576, tp, tf, cpu, pmax, pmean, pmax / p1 }'
done
