#!/usr/bin/env bash
# CLI tests of grl info / convert / partition: figures on the shared real
# data, round trips, and the error contract (exit code, one-line message).
# usage: cli_graph.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"


# info: the acceptance figures
"$GRL" info "$DATA/ca-grqc/CA-GrQc.txt" > "$TMP/ca.out"
check "ca nodes" contains "$TMP/ca.out" "nodes               5242"
check "ca edges" contains "$TMP/ca.out" "edges               14496 undirected"
check "ca loops" contains "$TMP/ca.out" "self-loops          12"
check "ca components" contains "$TMP/ca.out" "components          355 connected"
"$GRL" info "$DATA/email-eu-core/email-Eu-core.txt" --directed > "$TMP/em.out"
check "email arcs" contains "$TMP/em.out" "arcs                25571"
check "email nodes" contains "$TMP/em.out" "nodes               1005"
check "email loops" contains "$TMP/em.out" "self-loops          642"
check "email wcc" contains "$TMP/em.out" "components          20 weakly connected"
check "email degrees" contains "$TMP/em.out" "out-degree          min 0  mean 25.444  max 334"

# convert to .grl and back: the same summary (but the file name)
check "convert grl" "$GRL" convert "$DATA/email-eu-core/email-Eu-core.txt" --directed --output "$TMP/em.grl"
"$GRL" info "$TMP/em.grl" | tail -n +2 > "$TMP/em2.out"
check "grl reload same info" diff <(tail -n +2 "$TMP/em.out") "$TMP/em2.out"
check "convert mtx" "$GRL" convert "$TMP/em.grl" --output "$TMP/em.mtx"
check "mtx arcs" bash -c "'$GRL' info '$TMP/em.mtx' | grep -q 'arcs                25571'"
check "convert csv" "$GRL" convert "$DATA/karate/edges.txt" --output "$TMP/k.csv"
check "csv header" contains "$TMP/k.csv" "source,target"
check "csv reload" bash -c "'$GRL' info '$TMP/k.csv' | grep -q 'edges               78 undirected'"

# partition: id part lines for every node, the report
check "partition" "$GRL" partition "$DATA/email-eu-core/email-Eu-core.txt" --directed --parts 4 --seed 7 --output "$TMP/parts.txt" > "$TMP/part.out"
check "partition lines" test "$(wc -l < "$TMP/parts.txt")" -eq 1005
check "partition parts" test "$(cut -d' ' -f2 "$TMP/parts.txt" | sort -u | tr '\n' ' ')" = "0 1 2 3 "
check "partition report" contains "$TMP/part.out" "edge cut"
check "partition halo" contains "$TMP/part.out" "halo nodes"
"$GRL" partition "$DATA/email-eu-core/email-Eu-core.txt" --directed --parts 4 --seed 7 > "$TMP/parts2.txt" 2>/dev/null
check "partition deterministic, stdout" cmp "$TMP/parts.txt" "$TMP/parts2.txt"
"$GRL" partition "$DATA/ca-grqc/CA-GrQc.txt" --parts 1 --output "$TMP/one.txt" > /dev/null
check "partition k=1" test "$(cut -d' ' -f2 "$TMP/one.txt" | sort -u)" = "0"
check "partition keeps SNAP ids" test "$(cut -d' ' -f1 "$TMP/one.txt" | sort -n | head -1)" = "13"

# help and errors: exit 0 with usage; non-zero with one 'grl: error:' line
for cmd in info convert partition; do
    check "$cmd --help" bash -c "'$GRL' $cmd --help | grep -q 'usage: grl $cmd'"
done
printf '1 2\n3 x7\n' > "$TMP/bad.txt"
check "bad id" expect_error "$TMP/bad.txt:2: expected an integer target node id, got 'x7'" info "$TMP/bad.txt"
check "missing file" expect_error "No such file" info "$TMP/none.txt"
check "directory" expect_error "is a directory" info "$TMP"
check "unknown command" expect_error "unknown command 'nope'" nope
check "no output" expect_error "needs --output" convert "$DATA/karate/edges.txt"
check "bad parts" expect_error "--parts: expected an integer >= 1, got 'x'" partition "$DATA/karate/edges.txt" --parts x
check "too many parts" expect_error "" partition "$DATA/karate/edges.txt" --parts 35
check "bad option value" expect_error "--self-loops: unknown self-loop policy 'maybe' (expected keep or drop)" info "$DATA/karate/edges.txt" --self-loops maybe

finish
