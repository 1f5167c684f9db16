#!/usr/bin/env bash
# CLI tests of declared node sets (--nodes, --num-nodes): isolated nodes get
# embedding rows, any line order gives the same bits, errors name file and
# line; and of `grl eval nodeclf --missing` on PPI, whose labels name 30
# nodes that no edge names.
# usage: cli_nodes.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

# karate's 34 nodes plus 5 isolated ones, ids sparse and negative too
K=$DATA/karate/edges.txt
{ echo "# karate and five isolated nodes"; seq 0 33; printf '%s\n' 100 -7 57 2000 40; } > "$TMP/nodes.txt"
"$GRL" info "$K" --nodes "$TMP/nodes.txt" > "$TMP/info"
check "info nodes" contains "$TMP/info" "nodes               39"
check "info edges" contains "$TMP/info" "edges               78 undirected"
check "info isolated" contains "$TMP/info" "degree              min 0"
check "info components" contains "$TMP/info" "components          6 connected"

check "fastrp npy" "$GRL" fastrp "$K" --nodes "$TMP/nodes.txt" --dim 8 --threads 1 --output "$TMP/a.npy"
check "npy rows" bash -c "head -c 128 '$TMP/a.npy' | grep -q \"'shape': (39, 8)\""
check "ids rows" test "$(wc -l < "$TMP/a.ids")" -eq 39
check "ids sorted" test "$(head -1 "$TMP/a.ids")$(tail -1 "$TMP/a.ids")" = "-72000"
check "fastrp txt" "$GRL" fastrp "$K" --nodes "$TMP/nodes.txt" --dim 8 --output "$TMP/a.txt"
check "txt rows" test "$(wc -l < "$TMP/a.txt")" -eq 40
check "txt isolated row" bash -c "grep -q '^2000 ' '$TMP/a.txt'"

# same bits for shuffled edge and node files and for 2 threads
shuf --random-source=<(yes) "$K" > "$TMP/k_shuf.txt"
shuf --random-source=<(yes) "$TMP/nodes.txt" > "$TMP/nodes_shuf.txt"
check "shuffled differ" bash -c "! cmp -s '$K' '$TMP/k_shuf.txt' && ! cmp -s '$TMP/nodes.txt' '$TMP/nodes_shuf.txt'"
check "fastrp shuffled" "$GRL" fastrp "$TMP/k_shuf.txt" --nodes "$TMP/nodes_shuf.txt" --dim 8 --threads 2 --output "$TMP/b.npy"
check "same bits" cmp "$TMP/a.npy" "$TMP/b.npy"
check "same ids" cmp "$TMP/a.ids" "$TMP/b.ids"

# string ids, CSV, .grl keeps the isolated nodes
sed 's/[0-9-][0-9]*/n&/g' "$K" > "$TMP/s.txt"
sed 's/^[0-9-]/n&/' "$TMP/nodes.txt" > "$TMP/s_nodes.txt"
"$GRL" info "$TMP/s.txt" --string-ids --nodes "$TMP/s_nodes.txt" > "$TMP/s.info"
check "string ids" contains "$TMP/s.info" "nodes               39"
check "convert to grl" "$GRL" convert "$K" --nodes "$TMP/nodes.txt" --output "$TMP/k.grl"
"$GRL" info "$TMP/k.grl" > "$TMP/grl.info"
check "grl keeps isolated" contains "$TMP/grl.info" "nodes               39"

# --num-nodes: ids 0..N-1, no .ids file (and a stale one is removed)
touch "$TMP/c.ids"
check "num-nodes" "$GRL" fastrp "$K" --num-nodes 40 --dim 8 --output "$TMP/c.npy"
check "num-nodes rows" bash -c "head -c 128 '$TMP/c.npy' | grep -q \"'shape': (40, 8)\""
check "stale ids removed" test ! -e "$TMP/c.ids"

# errors name the file and line
printf '0 1\n1 2\n' > "$TMP/e.txt"
printf '0\n1\n' > "$TMP/n01.txt"
check "edge outside set" expect_error "$TMP/e.txt:2: target node '2' is not in the declared node set ($TMP/n01.txt)" \
    info "$TMP/e.txt" --nodes "$TMP/n01.txt"
check "edge outside count" expect_error "$TMP/e.txt:2: target node '2' is not in the declared node set (num_nodes = 2: ids 0..1)" \
    info "$TMP/e.txt" --num-nodes 2
printf '0\n1\n# c\n2\n1\n' > "$TMP/dup.txt"
check "duplicate id" expect_error "$TMP/dup.txt:5: node id '1' is listed twice (first on line 2)" \
    info "$TMP/e.txt" --nodes "$TMP/dup.txt"
printf '0\n1 2\n' > "$TMP/two.txt"
check "two ids on a line" expect_error "$TMP/two.txt:2: expected one node id per line" \
    info "$TMP/e.txt" --nodes "$TMP/two.txt"
printf '0\nx\n' > "$TMP/bad.txt"
check "bad integer id" expect_error "$TMP/bad.txt:2: expected an integer node id, got 'x'" \
    info "$TMP/e.txt" --nodes "$TMP/bad.txt"
check "missing node file" expect_error "$TMP/none.txt" info "$TMP/e.txt" --nodes "$TMP/none.txt"
check "both" expect_error "not both" info "$TMP/e.txt" --nodes "$TMP/n01.txt" --num-nodes 3
check "count with strings" expect_error "with string ids, declare the nodes by a file" \
    info "$TMP/e.txt" --num-nodes 3 --string-ids
check "bad count" expect_error "--num-nodes: expected an integer in 1..1152921504606846976, got '0'" \
    info "$TMP/e.txt" --num-nodes 0
check "mtx lists its nodes" expect_error "mtx files list their nodes themselves" \
    info "$DATA/karate/karate.mtx" --num-nodes 34

# PPI: 3,890 labelled nodes, 30 of them in no edge
P=$DATA/ppi_homo_sapiens
check "ppi fastrp" "$GRL" fastrp "$P/edges.txt" --dim 16 --output "$TMP/p.npy"
check "ppi rows" test "$(wc -l < "$TMP/p.ids")" -eq 3860
EV=(eval nodeclf --embedding "$TMP/p.npy" --labels "$P/labels.txt" --repeats 1)
"$GRL" "${EV[@]}" > "$TMP/skip.out" 2> "$TMP/skip.err"
check "skip by default" test $? -eq 0
check "skip note" contains "$TMP/skip.err" "grl: note: 30 labelled nodes of $P/labels.txt have no row in the embedding: left out"
check "skip note one line" test "$(wc -l < "$TMP/skip.err")" -eq 1
check "skip report" contains "$TMP/skip.out" "labelled nodes      3860 (and 30 without an embedding row, left out)"
"$GRL" "${EV[@]}" --missing zero > "$TMP/zero.out" 2> "$TMP/zero.err"
check "zero" test $? -eq 0
check "zero note" contains "$TMP/zero.err" "30 labelled nodes"
check "zero report" contains "$TMP/zero.out" "labelled nodes      3890 (with 30 without an embedding row, as zero rows)"
check "zero rows" contains "$TMP/zero.out" "embedding           3860 rows"
check "missing error" expect_error "$P/labels.txt:61: node '33' is not in $TMP/p.ids" "${EV[@]}" --missing error
check "bad policy" expect_error "--missing: unknown missing-node policy 'drop' (expected error, skip or zero)" \
    "${EV[@]}" --missing drop

# with the nodes declared, every labelled node has a row: no note
check "ppi num-nodes" "$GRL" fastrp "$P/edges.txt" --num-nodes 3890 --dim 16 --output "$TMP/p.npy"
check "ppi old ids removed" test ! -e "$TMP/p.ids"
"$GRL" "${EV[@]}" --missing error > "$TMP/all.out" 2> "$TMP/all.err"
check "all rows" test $? -eq 0
check "all labelled" contains "$TMP/all.out" "labelled nodes      3890"
check "no note" test ! -s "$TMP/all.err"

finish
