#!/usr/bin/env bash
# CLI tests of grl gnn gvi-generate and pore-generate and of grl gnn mpnn
# (the baseline and --model cgs): the files they write
# (TU layout, row counts that agree with the summary line), the same files
# with 1 and 2 threads, different files for another seed, and one
# 'grl: error:' line for bad options.
# usage: cli_gnn_tasks.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

gvi() { "$GRL" gnn gvi-generate --graphs 20 --seed "$1" --threads "$2" --output-dir "$TMP/$3" > "$TMP/$3.out"; }
check "gvi, 1 thread" gvi 5 1 g1
check "gvi, 2 threads" gvi 5 2 g2
check "gvi, another seed" gvi 6 1 g3
check "gvi summary" matches "$TMP/g1.out" '^20 graphs, [0-9]+ nodes, [0-9]+ arcs -> .*/gvi_\*\.txt$'
check "gvi same files with 1 and 2 threads" diff -r "$TMP/g1" "$TMP/g2"
check "gvi another seed differs" bash -c "! diff -q '$TMP/g1/gvi_A.txt' '$TMP/g3/gvi_A.txt' > /dev/null"
nodes=$(sed -n 's/^20 graphs, \([0-9]*\) nodes, \([0-9]*\) arcs.*/\1/p' "$TMP/g1.out")
arcs=$(sed -n 's/^20 graphs, \([0-9]*\) nodes, \([0-9]*\) arcs.*/\2/p' "$TMP/g1.out")
check "gvi node rows" test "$(wc -l < "$TMP/g1/gvi_graph_indicator.txt")" -eq "$nodes"
check "gvi target rows" test "$(wc -l < "$TMP/g1/gvi_node_targets.txt")" -eq "$nodes"
check "gvi arc rows" test "$(wc -l < "$TMP/g1/gvi_A.txt")" -eq "$arcs"
check "gvi reward rows" test "$(wc -l < "$TMP/g1/gvi_edge_attributes.txt")" -eq "$arcs"
check "gvi 20 graphs" test "$(tail -1 "$TMP/g1/gvi_graph_indicator.txt")" -eq 20

pore() { "$GRL" gnn pore-generate --graphs 4 --min-pores 60 --max-pores 80 --seed 2 --threads "$1" --name p --output-dir "$TMP/$2" > "$TMP/$2.out"; }
check "pore, 1 thread" pore 1 p1
check "pore, 2 threads" pore 2 p2
check "pore same files with 1 and 2 threads" diff -r "$TMP/p1" "$TMP/p2"
check "pore node attributes: 6 columns" matches "$TMP/p1/p_node_attributes.txt" '^[^,]+(, [^,]+){5}$'
check "pore arc attributes: 2 columns" matches "$TMP/p1/p_edge_attributes.txt" '^[^,]+, [^,]+$'
check "pore pressures in [0, 1]" awk '$1 < -1e-6 || $1 > 1.000001 { exit 1 }' "$TMP/p1/p_node_targets.txt"

mpnn() { "$GRL" gnn mpnn --task "$1" --train "$TMP/$2" --test "$TMP/$3" --epochs 2 --hidden 8 --layers 2 --threads "$4" > "$TMP/mpnn$4.out"; }
check "mpnn gvi, 1 thread" mpnn gvi g1/gvi g3/gvi 1
check "mpnn gvi, 2 threads" mpnn gvi g1/gvi g3/gvi 2
check "mpnn same output with 1 and 2 threads" bash -c "diff <(sed 's/ ([0-9.]* s)//' '$TMP/mpnn1.out') <(sed 's/ ([0-9.]* s)//' '$TMP/mpnn2.out')"
check "mpnn summary" matches "$TMP/mpnn1.out" '^MPNN, 2 layers, hidden 8: best epoch [12] of 2, train MSE [0-9.e+-]+, validation MSE [0-9.e+-]+'
check "mpnn gvi figures" matches "$TMP/mpnn1.out" '^test .*/g3/gvi: 20 graphs, [0-9]+ nodes \([0-9.]+ per graph\), MSE [0-9.e+-]+, value MAPE [0-9.]+%, policy accuracy [01]\.[0-9]{4}$'
check "mpnn pore" bash -c "'$GRL' gnn mpnn --task pore --train '$TMP/p1/p' --test '$TMP/p2/p' --epochs 1 --hidden 4 | grep -q '^test .*MSE'"
check "mpnn widths differ" expect_error "the model was trained with" gnn mpnn --task pore --train "$TMP/p1/p" --test "$TMP/g1/gvi" --epochs 1 --hidden 4
check "mpnn missing set" expect_error "nothing_graph_indicator.txt" gnn mpnn --task gvi --train "$TMP/nothing"
check "mpnn bad task" expect_error "--task" gnn mpnn --task bogus --train "$TMP/g1/gvi"
cgs() { "$GRL" gnn mpnn --model cgs --heads 4 --task gvi --train "$TMP/g1/gvi" --test "$TMP/g3/gvi" --epochs 2 --hidden 8 --layers 2 --threads "$1" > "$TMP/cgs$1.out"; }
check "cgs gvi, 1 thread" cgs 1
check "cgs gvi, 2 threads" cgs 2
check "cgs same output with 1 and 2 threads" bash -c "diff <(sed 's/ ([0-9.]* s)//' '$TMP/cgs1.out') <(sed 's/ ([0-9.]* s)//' '$TMP/cgs2.out')"
check "cgs summary" matches "$TMP/cgs1.out" '^CGS, 4 heads, gamma 0.5, encoder 2 layers, hidden 8: best epoch [12] of 2, train MSE [0-9.e+-]+, validation MSE [0-9.e+-]+'
check "cgs solver line" matches "$TMP/cgs1.out" '^fixed point: [0-9]+ solves, mean iterations [0-9.]+ forward, [0-9.]+ adjoint, 0 at the cap of 50$'
check "cgs gvi figures" matches "$TMP/cgs1.out" '^test .*/g3/gvi: 20 graphs, [0-9]+ nodes \([0-9.]+ per graph\), MSE [0-9.e+-]+, value MAPE [0-9.]+%, policy accuracy [01]\.[0-9]{4}$'
capped() { "$GRL" gnn mpnn --model cgs --heads 2 --task pore --train "$TMP/p1/p" --test "$TMP/p2/p" --epochs 1 --hidden 4 --max-iter 1 > "$TMP/capped.out" 2> "$TMP/capped.err"; }
check "cgs at the iteration cap: a warning, figures still printed" capped
check "cgs cap warning" matches "$TMP/capped.err" '^grl: warning: CGS: [0-9]+ fixed-point solves stopped at the cap of 1 iterations'
check "cgs cap figures" matches "$TMP/capped.out" '^test .*/p2/p: 4 graphs, .*MSE [0-9.e+-]+$'
check "cgs help" bash -c "'$GRL' gnn mpnn --help | grep -q -- '--model M'"
check "bad model" expect_error "--model: expected mpnn or cgs" gnn mpnn --model gcn --task gvi --train "$TMP/g1/gvi"
check "heads 0" expect_error "--heads" gnn mpnn --model cgs --heads 0 --task gvi --train "$TMP/g1/gvi"
check "heads huge" expect_error "--heads" gnn mpnn --model cgs --heads 99999999999999999999 --task gvi --train "$TMP/g1/gvi"
check "gamma 1" expect_error "--gamma: must be below 1" gnn mpnn --model cgs --gamma 1 --task gvi --train "$TMP/g1/gvi"
check "gamma nan" expect_error "--gamma" gnn mpnn --model cgs --gamma nan --task gvi --train "$TMP/g1/gvi"
check "gamma negative" expect_error "--gamma" gnn mpnn --model cgs --gamma -0.5 --task gvi --train "$TMP/g1/gvi"
check "tol 0" expect_error "--tol" gnn mpnn --model cgs --tol 0 --task gvi --train "$TMP/g1/gvi"
check "tol 2" expect_error "--tol: must be below 1" gnn mpnn --model cgs --tol 2 --task gvi --train "$TMP/g1/gvi"
check "max-iter 0" expect_error "--max-iter" gnn mpnn --model cgs --max-iter 0 --task gvi --train "$TMP/g1/gvi"
check "max-iter text" expect_error "--max-iter" gnn mpnn --model cgs --max-iter ten --task gvi --train "$TMP/g1/gvi"
check "gnn help lists the generators" bash -c "'$GRL' gnn --help | grep -q pore-generate"
check "needs --graphs" expect_error "needs --graphs and --output-dir" gnn gvi-generate --output-dir "$TMP/x"
check "--graphs 0" expect_error "--graphs" gnn gvi-generate --graphs 0 --output-dir "$TMP/x"
check "states range" expect_error "states per graph" gnn gvi-generate --graphs 2 --min-states 30 --max-states 30 --output-dir "$TMP/x"
check "actions below states" expect_error "min above the most actions" gnn gvi-generate --graphs 2 --max-actions 25 --output-dir "$TMP/x"
check "pore range" expect_error "pores per graph" gnn pore-generate --graphs 2 --min-pores 90 --max-pores 80 --output-dir "$TMP/x"
check "bad degree" expect_error "--mean-degree" gnn pore-generate --graphs 2 --mean-degree -1 --output-dir "$TMP/x"
touch "$TMP/file"
check "output dir is a file" expect_error "" gnn gvi-generate --graphs 2 --output-dir "$TMP/file"
check "unknown option" expect_error "" gnn pore-generate --graphs 2 --output-dir "$TMP/x" --bogus 1
finish
