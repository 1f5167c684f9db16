#!/usr/bin/env bash
# CLI tests of the progress line: shown on stderr when it is a terminal
# (`script` gives the command a pseudo-terminal), never with --quiet or when
# stderr is a file, and never changing the output.
# usage: cli_progress.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

K=$DATA/karate/edges.txt
# on_tty OUT ARGS...: grl ARGS on a pseudo-terminal, what it showed in OUT
on_tty() {
    local out=$1; shift
    script -qec "$(printf '%q ' "$GRL" "$@")" /dev/null > "$out"
}
seq 0 33 > "$TMP/all.txt"
paste -d' ' <(seq 0 33) <(seq 33 -1 0) > "$TMP/pairs.txt"

check "index on a tty" on_tty "$TMP/t1" ppr-index build "$K" --walks 20 --output "$TMP/i1.idx"
check "index progress counts node walks" contains "$TMP/t1" "PPR index: node walks done: 34 of 68"
check "index quiet" on_tty "$TMP/t2" ppr-index build "$K" --walks 20 --quiet --output "$TMP/i2.idx"
check "index quiet shows nothing" bash -c "! grep -q 'PPR index' '$TMP/t2'"
check "index same with progress" cmp -s "$TMP/i1.idx" "$TMP/i2.idx"

check "ppr on a tty" on_tty "$TMP/t3" ppr "$K" --sources-file "$TMP/all.txt" --method push --output "$TMP/p1.txt"
check "ppr progress" contains "$TMP/t3" "PPR (push): 34 sources"
check "ppr without a tty" "$GRL" ppr "$K" --sources-file "$TMP/all.txt" --method push --output "$TMP/p2.txt" 2> "$TMP/err"
check "no progress into a file" test ! -s "$TMP/err"
check "ppr same with progress" cmp -s "$TMP/p1.txt" "$TMP/p2.txt"

check "score on a tty" on_tty "$TMP/t4" linkpred score "$K" --pairs "$TMP/pairs.txt" --method katz --katz-length 5 --block-entries 64 --output "$TMP/s1.txt"
check "score progress counts pairs" matches "$TMP/t4" "linkpred: pairs scored: [0-9]+ of 34"
check "score quiet" on_tty "$TMP/t5" linkpred score "$K" --pairs "$TMP/pairs.txt" --method katz --katz-length 5 --block-entries 64 --quiet --output "$TMP/s2.txt"
check "score quiet shows nothing" bash -c "! grep -q 'linkpred' '$TMP/t5'"
check "score same with progress" cmp -s "$TMP/s1.txt" "$TMP/s2.txt"
check "topk on a tty" on_tty "$TMP/t6" linkpred topk "$K" --k 3 --block-entries 64 --output "$TMP/k1.txt"
check "topk progress counts nodes" matches "$TMP/t6" "linkpred: source nodes done: [0-9]+ of 34"
check "eval on a tty" on_tty "$TMP/t7" linkpred eval "$K" --method aa,ra
check "eval progress names the method" contains "$TMP/t7" "linkpred eval (ra)"
CH=$DATA/chameleon_filtered
check "refit on a tty" on_tty "$TMP/t8" gnn appnp "$CH/edges.txt" --features "$CH/features.txt" --labels "$CH/labels.txt" --train-per-class 10 --val 100 --repeats 1 --epochs 3 --refit
check "refit progress says refit" matches "$TMP/t8" "split 1/1 refit epoch [0-9]+/[0-9]+: loss [0-9.]+, train [0-9.]+ \\("
check "refit progress shows no validation NaN" bash -c "! grep -q 'val nan' '$TMP/t8'"
finish
