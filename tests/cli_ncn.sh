#!/usr/bin/env bash
# CLI tests of grl linkpred train (NCN / NCNC) and of score/topk --model:
# the report's format, thread-independent output and model files, the model
# used like a heuristic, help, and the error contract on hostile inputs.
# Kept small: Cora with a narrow model and one epoch.
# usage: cli_ncn.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

CORA=$DATA/cora_planetoid
F=$CORA/features.txt
common=("$CORA/edges.txt" --features "$F" --hidden 8 --epochs 1 --seed 2 --quiet)

train_report() { # train_report MODEL THREADS
    "$GRL" linkpred train "${common[@]}" --model "$1" \
        --threads "$2" --model-out "$TMP/$1.$2.grl" > "$TMP/$1.$2" &&
    matches "$TMP/$1.$2" '^graph: 2708 nodes, 5278 edges; train 3694, validation 528, test 1056 edges' &&
    matches "$TMP/$1.$2" "^$1: best epoch [0-9]+ of [0-9]+, validation Hits@100 0\.[0-9]{4}" &&
    [ "$(grep -cE '^(cn|aa|ra|ncnc?) +(valid|test) +(0\.[0-9]{4} +){2}(0\.[0-9]{4} +){3}0\.[0-9]{4}$' "$TMP/$1.$2")" -eq 8 ]
}
same_but_time() { # the reports without the training time
    cmp -s <(sed -E 's/, [0-9.]+ s$//' "$1") <(sed -E 's/, [0-9.]+ s$//' "$2")
}
for m in ncn ncnc; do
    check "$m report, 1 thread" train_report $m 1
    check "$m report, 2 threads" train_report $m 2
    check "$m: same report with 1 and 2 threads" same_but_time "$TMP/$m.1" "$TMP/$m.2"
    check "$m: same model file with 1 and 2 threads" cmp -s "$TMP/$m.1.grl" "$TMP/$m.2.grl"
done

printf '0 633\n0 1\n35 2\n' > "$TMP/pairs.txt"
score_model() {
    "$GRL" linkpred score "$CORA/edges.txt" --model "$TMP/ncnc.1.grl" --features "$F" \
        --pairs "$TMP/pairs.txt" --quiet > "$TMP/scores" &&
    [ "$(wc -l < "$TMP/scores")" -eq 3 ] && matches "$TMP/scores" '^0 633 -?[0-9.e+-]+$'
}
check "score --model" score_model
topk_model() {
    "$GRL" linkpred topk "$CORA/edges.txt" --model "$TMP/ncn.1.grl" --features "$F" \
        --k 3 --quiet > "$TMP/topk" &&
    [ "$(wc -l < "$TMP/topk")" -ge 2708 ] && matches "$TMP/topk" '^0 [0-9]+ -?[0-9.e+-]+$'
}
check "topk --model" topk_model

helps() { "$GRL" linkpred "$1" --help > "$TMP/help" && contains "$TMP/help" "$2"; }
check "train help" helps train "usage: grl linkpred train"
check "score help names --model" helps score "--model M"

# hostile inputs: one line naming the problem
printf '0 1 1\n0 2 1\n' > "$TMP/narrow.txt"
check "features of the wrong width" expect_error "the model needs 2708 x 1433" \
    linkpred score "$CORA/edges.txt" --model "$TMP/ncn.1.grl" --features "$TMP/narrow.txt" \
    --pairs "$TMP/pairs.txt"
printf '0 99999\n' > "$TMP/ghost.txt"
check "pair node not in graph" expect_error "99999" linkpred score "$CORA/edges.txt" \
    --model "$TMP/ncn.1.grl" --features "$F" --pairs "$TMP/ghost.txt"
check "unknown model kind" expect_error "expected ncn or ncnc" linkpred train \
    "$CORA/edges.txt" --model gat --features "$F"
check "no features" expect_error "needs --model ncn|ncnc and --features" linkpred train \
    "$CORA/edges.txt" --model ncn
check "score --model without features" expect_error "--model needs --features" \
    linkpred score "$CORA/edges.txt" --model "$TMP/ncn.1.grl" --pairs "$TMP/pairs.txt"
check "bad encoder" expect_error "NCN encoder" linkpred train "$CORA/edges.txt" \
    --model ncn --features "$F" --encoder gat
cp "$TMP/ncn.1.grl" "$TMP/flip.grl"
printf 'X' | dd of="$TMP/flip.grl" bs=1 seek=200 conv=notrunc 2> /dev/null
check "corrupt model file" expect_error "flip.grl" linkpred score "$CORA/edges.txt" \
    --model "$TMP/flip.grl" --features "$F" --pairs "$TMP/pairs.txt"
check "not a model file" expect_error "pairs.txt" linkpred score "$CORA/edges.txt" \
    --model "$TMP/pairs.txt" --features "$F" --pairs "$TMP/pairs.txt"
finish
