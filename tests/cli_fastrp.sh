#!/usr/bin/env bash
# CLI tests of grl fastrp: output formats, the .ids file, determinism across
# thread counts and line order, and errors.
# usage: cli_fastrp.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

K=$DATA/karate/edges.txt
check "npy" "$GRL" fastrp "$K" --dim 16 --output "$TMP/k.npy"
# header: magic, version 1.0, float32 (34, 16); 128-byte header + 34*16*4 data
check "npy header" bash -c "head -c 80 '$TMP/k.npy' | grep -q \"'descr': '<f4', 'fortran_order': False, 'shape': (34, 16)\""
check "npy size" test "$(stat -c %s "$TMP/k.npy")" -eq $((128 + 34 * 16 * 4))
check "no ids file for 0..n-1" test ! -e "$TMP/k.ids"
check "txt" "$GRL" fastrp "$K" --dim 16 --output "$TMP/k.txt"
check "txt header" test "$(head -1 "$TMP/k.txt")" = "34 16"
check "txt rows" test "$(wc -l < "$TMP/k.txt")" -eq 35
check "txt fields" test "$(sed -n 2p "$TMP/k.txt" | wc -w)" -eq 17

# sparse SNAP ids: the .ids file names each row
C=$DATA/ca-grqc/CA-GrQc.txt
check "snap npy" "$GRL" fastrp "$C" --dim 8 --weights 0,1,1,2 --beta -0.5 --threads 1 --output "$TMP/c1.npy"
check "ids file" test "$(wc -l < "$TMP/c1.ids")" -eq 5242
check "ids sorted" test "$(head -1 "$TMP/c1.ids")" = "13"
check "threads 2" "$GRL" fastrp "$C" --dim 8 --weights 0,1,1,2 --beta -0.5 --threads 2 --output "$TMP/c2.npy"
check "same bits 1 vs 2 threads" cmp "$TMP/c1.npy" "$TMP/c2.npy"
tac "$C" > "$TMP/reversed.txt"
check "reversed lines" "$GRL" fastrp "$TMP/reversed.txt" --dim 8 --weights 0,1,1,2 --beta -0.5 --output "$TMP/c3.npy"
check "same bits for reversed lines" cmp "$TMP/c1.npy" "$TMP/c3.npy"
check "other seed differs" bash -c "'$GRL' fastrp '$C' --dim 8 --seed 7 --output '$TMP/c4.npy' && ! cmp -s '$TMP/c1.npy' '$TMP/c4.npy'"

# features and directions on Cora-ML (directed)
M=$DATA/cora_ml
check "features" "$GRL" fastrp "$M/edges.txt" --directed --features "$M/features.txt" --property-ratio 0.5 --dim 32 --propagate both --output "$TMP/m.npy"
check "help" bash -c "'$GRL' fastrp --help | grep -q 'usage: grl fastrp'"

check "bad output" expect_error "must name a .npy or .txt" fastrp "$K" --output "$TMP/k.csv"
check "bad weights" expect_error "--weights: expected a number, got 'x'" fastrp "$K" --weights 1,x --output "$TMP/k.npy"
check "bad direction" expect_error "--propagate: unknown propagation direction 'up' (expected out, in or both)" fastrp "$K" --propagate up --output "$TMP/k.npy"
check "features need ratio" expect_error "needs --property-ratio" fastrp "$K" --features "$M/features.txt" --output "$TMP/k.npy"
check "bad sparsity" expect_error "--sparsity: expected a number >= 1" fastrp "$K" --sparsity 0.5 --output "$TMP/k.npy"
check "features of unknown node" expect_error "is not in the graph" fastrp "$K" --features "$M/features.txt" --property-ratio 0.5 --output "$TMP/k.npy"

finish
