#!/usr/bin/env bash
# Run every benchmark program and print the tables the README shows
# (markdown), with the conditions they were measured under.
# usage: bench/run.sh BUILD_DIR
# environment: DATA (datasets, default ../shared/data), BENCH_REPS (timed
# repetitions of every contender, best kept; default 3), BENCH_THREADS (the
# thread count beside 1; default 2), BENCH_QUICK=1 (small sizes for
# development, not the README's figures).
set -euo pipefail
BUILD=${1:-build}
export DATA=${DATA:-../shared/data}
quick=${BENCH_QUICK:-0}
start=$(date +%s)

echo "Conditions of this \`make bench\` run:"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), $("$BUILD"/grl --version)," \
     "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
libs=$(dpkg-query -W -f='${Package} ${Version}, ' libgraphblas7 libigraph3 2>/dev/null || true)
echo "- machine: $(nproc) cores ($cpu), $mem RAM; ${libs%, }"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the cores)"
reps=${BENCH_REPS:-$([ "$quick" = 1 ] && echo 1 || echo 3)}
echo "- conditions: every timed contender best of $reps run(s); grl on 1 and" \
     "${BENCH_THREADS:-2} threads, igraph on 1 thread" \
     "$([ "$quick" = 1 ] && echo '(BENCH_QUICK=1: small sizes, not the README figures)')"

# Link prediction quality on Cora through the command line (a markdown
# table from its columns).
cora_quality() {
    echo
    echo "### Link prediction quality (grl linkpred eval, Cora)"
    echo
    echo "\`grl linkpred eval $DATA/cora_planetoid/edges.txt --method ... --seed 1\`" \
         "(85/5/10 split, negatives = test size):"
    echo
    "$BUILD"/grl linkpred eval "$DATA/cora_planetoid/edges.txt" --seed 1 \
        --method cn,jaccard,salton,sorensen,hpi,hdi,lhn,pa,aa,ra,lp,katz |
        awk 'NR == 1 { print; print ""; next }
             { line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line }
             NR == 2 { line = "|"; for (i = 1; i <= NF; i++) line = line "---|"; print line }'
}

# the README's order first, then any other benchmark program
order="load fastrp linkpred walks powerwalk dag"
for name in $order; do
    echo
    # line-buffered: each table row shows as it is measured, through tee too
    stdbuf -oL "$BUILD/bench_$name" "$DATA"
    if [ "$name" = linkpred ]; then cora_quality; fi
done
for b in "$BUILD"/bench_*; do
    [ -x "$b" ] || continue
    case " $order mpi " in *" ${b##*/bench_} "*) continue ;; esac
    echo
    stdbuf -oL "$b" "$DATA"
done

# grl_mpi (built when MPI was found): ranks over partition directories
if [ -x "$BUILD/bench_mpi" ]; then
    echo
    bash "$(dirname "$0")/bench_mpi.sh" "$BUILD"
fi

echo
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); total $(( $(date +%s) - start )) s)"
