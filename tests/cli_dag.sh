#!/usr/bin/env bash
# CLI tests of grl dag: simulate -> learn -> eval round trip (SHD 0 on a
# d = 20 ER2 graph), thread-independent output, Sachs with its names in the
# CSV and DOT outputs, and the error contract for hostile files and options
# (exit code, one 'grl: error:' line naming the file and line).
# usage: cli_dag.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

# simulate, learn, evaluate
"$GRL" dag simulate --vars 20 --edges 40 --samples 1000 --seed 3 \
    --output "$TMP/x.csv" --truth "$TMP/b.csv" --dot "$TMP/b.dot"
check "simulate exit 0" test $? -eq 0
check "x rows" test "$(wc -l < "$TMP/x.csv")" -eq 1001
check "x header" contains "$TMP/x.csv" "x0,x1,x2"
check "truth dot" contains "$TMP/b.dot" "digraph dag {"
"$GRL" dag learn "$TMP/x.csv" --output "$TMP/w.csv" --dot "$TMP/w.dot" \
    --truth "$TMP/b.csv" > "$TMP/out" 2> "$TMP/err"
check "learn exit 0" test $? -eq 0
check "learn shd 0" contains "$TMP/out" "shd 0"
check "learn tpr 1" contains "$TMP/out" "tpr 1.0000"
check "summary" matches "$TMP/err" '^topo: 1000 samples x 20 variables, 40 edges, score'
check "w is d x d + header" test "$(wc -l < "$TMP/w.csv")" -eq 21
"$GRL" dag eval "$TMP/w.csv" --truth "$TMP/b.csv" --data "$TMP/x.csv" > "$TMP/eval"
check "eval shd" contains "$TMP/eval" "shd 0"
check "eval nnz" contains "$TMP/eval" "nnz 40"
check "eval score <= truth" awk '/^score / { s = $2 } /^score_truth/ { t = $2 } END { exit !(s <= t) }' "$TMP/eval"
# the same bits with 1 and 2 threads, and from a TSV copy
"$GRL" dag learn "$TMP/x.csv" --output "$TMP/w1.csv" --threads 1 --restarts 3 --quiet
"$GRL" dag learn "$TMP/x.csv" --output "$TMP/w2.csv" --threads 2 --restarts 3 --quiet
check "threads" cmp -s "$TMP/w1.csv" "$TMP/w2.csv"
tr ',' '\t' < "$TMP/x.csv" > "$TMP/x.tsv"
"$GRL" dag learn "$TMP/x.tsv" --output "$TMP/w3.csv" --restarts 3 --quiet
check "tsv" cmp -s "$TMP/w1.csv" "$TMP/w3.csv"

# Sachs: names carried to both outputs
"$GRL" dag learn "$DATA/sachs/1_cd3cd28_n854.csv" --output "$TMP/s.csv" \
    --dot "$TMP/s.dot" --truth "$DATA/sachs/sachs.csv" --quiet > "$TMP/sachs"
check "sachs exit 0" test $? -eq 0
check "sachs header" contains "$TMP/s.csv" "Akt,Erk,Jnk,Mek,P38,PIP2,PIP3,PKA,PKC,Plcg,Raf"
check "sachs dot" matches "$TMP/s.dot" '^  "[A-Za-z0-9]+" -> "[A-Za-z0-9]+" \[label="-?[0-9.e+-]+"'
check "sachs metrics" matches "$TMP/sachs" '^shd [0-9]+$'

# hostile files: file and line
printf 'a,b,c\n1,2,3\n4,5\n' > "$TMP/ragged.csv"
check "ragged" expect_error "ragged.csv:3: 2 fields, but the first line has 3 (a ragged row)" \
    dag learn "$TMP/ragged.csv" --output "$TMP/o.csv"
printf 'a,b\n1,2\nnan,3\n' > "$TMP/nan.csv"
check "nan" expect_error "nan.csv:3: field 1 is 'nan'" dag learn "$TMP/nan.csv" --output "$TMP/o.csv"
printf 'a,b\n1,2\n1,3\n1,4\n' > "$TMP/const.csv"
check "constant" expect_error "variable 'a' (column 1) is constant" \
    dag learn "$TMP/const.csv" --output "$TMP/o.csv"
printf 'a,b,c\n1,2,3\n2,1,7\n' > "$TMP/few.csv"
check "too few samples" expect_error "singular" dag learn "$TMP/few.csv" --output "$TMP/o.csv"
printf 'a,b\n1,2\n' > "$TMP/one.csv"
check "one sample" expect_error "at least 2 samples" dag learn "$TMP/one.csv" --output "$TMP/o.csv"
printf '' > "$TMP/empty.csv"
check "empty" expect_error "no data rows" dag learn "$TMP/empty.csv" --output "$TMP/o.csv"
check "missing" expect_error "nope.csv" dag learn "$TMP/nope.csv" --output "$TMP/o.csv"
printf '\x93NUMPY garbage' > "$TMP/bad.npy"
check "bad npy" expect_error "bad.npy" dag learn "$TMP/bad.npy" --output "$TMP/o.csv"
check "truth size" expect_error "expected a 20 x 20 matrix" \
    dag learn "$TMP/x.csv" --output "$TMP/o.csv" --truth "$DATA/sachs/sachs.csv"
printf 'Akt,Erk\n0,1\n0,0\n' > "$TMP/renamed.csv"
printf 'Erk,Akt\n0,1\n0,0\n' > "$TMP/other.csv"
check "eval names differ" expect_error "but the other file names it 'Akt'" \
    dag eval "$TMP/renamed.csv" --truth "$TMP/other.csv"
check "unwritable" expect_error "/nonexistent/w.csv" dag learn "$TMP/x.csv" --output /nonexistent/w.csv

# hostile options
check "method" expect_error "--method: unknown DAG method 'foo' (expected topo or notears)" \
    dag learn "$TMP/x.csv" --output "$TMP/o.csv" --method foo
check "threshold" expect_error "--threshold: expected a non-negative number, got '-1'" \
    dag learn "$TMP/x.csv" --output "$TMP/o.csv" --threshold -1
check "restarts" expect_error "--restarts: expected an integer in 1..1000000, got '0'" \
    dag learn "$TMP/x.csv" --output "$TMP/o.csv" --restarts 0
# TOPO with the logistic loss and l1 on binary data
"$GRL" dag simulate --vars 5 --edges 5 --noise logistic --samples 2000 --seed 2 \
    --output "$TMP/bin.csv" --truth "$TMP/binb.csv"
"$GRL" dag learn "$TMP/bin.csv" --output "$TMP/binw.csv" --loss logistic --lambda1 0.01 \
    --truth "$TMP/binb.csv" > "$TMP/bin" 2> "$TMP/binerr"
check "topo logistic exit 0" test $? -eq 0
check "topo logistic summary" matches "$TMP/binerr" '^topo: 2000 samples x 5 variables'
check "topo logistic metrics" matches "$TMP/bin" '^shd [0-9]+$'
check "logistic data" expect_error "needs 0/1 data" \
    dag learn "$TMP/x.csv" --output "$TMP/o.csv" --method notears --loss logistic
check "no output" expect_error "needs --output" dag learn "$TMP/x.csv"
check "no data" expect_error "needs a DATA file" dag learn --output "$TMP/o.csv"
check "unknown option" expect_error "invalid option '--bogus'" dag learn "$TMP/x.csv" --bogus
check "value missing" expect_error "--seed needs a value" dag learn "$TMP/x.csv" --seed
check "vars" expect_error "--vars: expected an integer in 1..20000" \
    dag simulate --vars 0 --edges 1 --output "$TMP/o.csv"
check "no vars" expect_error "needs --vars and --edges" dag simulate --edges 1 --output "$TMP/o.csv"
check "edges" expect_error "has 0..6 edges, got 7" \
    dag simulate --vars 4 --edges 7 --output "$TMP/o.csv"
check "graph" expect_error "--graph: unknown DAG graph type 'ba'" \
    dag simulate --vars 4 --edges 2 --graph ba --output "$TMP/o.csv"
check "samples x nodes" expect_error "--samples: expected an integer in 1..100000000" \
    dag simulate --vars 4 --edges 2 --samples 999999999999 --output "$TMP/o.csv"
check "no command" expect_error "grl dag needs a command" dag
check "bad command" expect_error "unknown dag command 'fit'" dag fit
"$GRL" dag --help > "$TMP/help"
check "help" contains "$TMP/help" "learn DATA"
"$GRL" dag learn --help > "$TMP/help"
check "learn help" contains "$TMP/help" "--restarts R"
finish
