#!/usr/bin/env bash
# CLI tests of grl gnn appnp|ignn|cgs: the report's format (accuracy and the
# solver's bound, residual and iterations), the warning at the iteration
# cap, model and prediction files, thread-independent output, help, and
# hostile options. Kept small: Chameleon-filtered (890 nodes), few epochs.
# usage: cli_gnn_fixed.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

CH=$DATA/chameleon_filtered
common=("$CH/edges.txt" --features "$CH/features.txt" --labels "$CH/labels.txt"
        --train-per-class 10 --val 100 --repeats 1 --epochs 3 --quiet)

heads() { [ "$1" = cgs ] && echo --heads "$2"; } # CGS's option; the others refuse it
report() { # report MODEL THREADS NAME
    "$GRL" gnn "$1" "${common[@]}" --threads "$2" $(heads "$1" 4) --hidden 16 \
        --model-out "$TMP/m$1$2.grl" --predictions "$TMP/p$1$2.txt" > "$TMP/out$1$2" &&
    matches "$TMP/out$1$2" "^$3: test accuracy 0\.[0-9]{4} \+- 0\.[0-9]{4} over 1 splits" &&
    matches "$TMP/out$1$2" '^fixed point: contraction bound 0\.[0-9]{4}; forward [0-9]+ iterations to residual [0-9.e-]+, adjoint [0-9]+ to [0-9.e-]+; 0 of [0-9]+ solves at the cap$' &&
    [ "$(wc -l < "$TMP/p$1$2.txt")" -eq 890 ] &&
    matches "$TMP/p$1$2.txt" '^0 [0-4]( [0-9.e-]+){5}$'
}
for m in appnp:APPNP ignn:IGNN cgs:CGS; do
    model=${m%%:*}
    check "$model report, 1 thread" report "$model" 1 "${m##*:}"
    check "$model report, 2 threads" report "$model" 2 "${m##*:}"
    check "$model: same output with 1 and 2 threads" cmp -s "$TMP/out${model}1" "$TMP/out${model}2"
    check "$model: same predictions with 1 and 2 threads" cmp -s "$TMP/p${model}1.txt" "$TMP/p${model}2.txt"
    check "$model: same model file with 1 and 2 threads" cmp -s "$TMP/m${model}1.grl" "$TMP/m${model}2.grl"
done

bound() { # APPNP's bound is 1 - alpha, CGS's at most gamma
    "$GRL" gnn appnp "${common[@]}" --alpha 0.2 > "$TMP/a" &&
    matches "$TMP/a" 'contraction bound 0\.8000' &&
    "$GRL" gnn cgs "${common[@]}" --gamma 0.3 --heads 2 > "$TMP/c" &&
    awk '/contraction bound/ { b = $5 + 0; ok = b > 0 && b <= 0.3 } END { exit !ok }' "$TMP/c"
}
check "contraction bounds follow alpha and gamma" bound

node_refit() { # node classification refits too: the validation figure kept, the test moved
    "$GRL" gnn appnp "${common[@]}" --epochs 10 > "$TMP/nr0" &&
    "$GRL" gnn appnp "${common[@]}" --epochs 10 --refit > "$TMP/nr1" &&
    matches "$TMP/nr1" "^APPNP: test accuracy 0\.[0-9]{4} \+- 0\.[0-9]{4} over 1 splits" &&
    [ "$(grep -o "(validation .*)" "$TMP/nr0")" = "$(grep -o "(validation .*)" "$TMP/nr1")" ] &&
    ! cmp -s "$TMP/nr0" "$TMP/nr1"
}
check "node classification with --refit" node_refit

capped() {
    "$GRL" gnn ignn "${common[@]}" --max-iter 2 > "$TMP/cap" 2> "$TMP/caperr" &&
    matches "$TMP/cap" '; ([1-9][0-9]*) of \1 solves at the cap$' &&
    contains "$TMP/caperr" "grl: warning: IGNN: stopped at the cap of 2 iterations"
}
check "warning at the iteration cap, result printed" capped

helps() { "$GRL" gnn "$1" --help > "$TMP/help" && contains "$TMP/help" "usage: grl gnn appnp|ignn|cgs"; }
check "appnp help" helps appnp
check "cgs help" helps cgs

check "gamma 1 refused" expect_error "--gamma" gnn cgs "${common[@]}" --gamma 1
check "kappa 1.5 refused" expect_error "--kappa" gnn ignn "${common[@]}" --kappa 1.5
check "alpha nan refused" expect_error "--alpha" gnn appnp "${common[@]}" --alpha nan
check "tol 0 refused" expect_error "--tol" gnn appnp "${common[@]}" --tol 0
check "max-iter 0 refused" expect_error "--max-iter" gnn appnp "${common[@]}" --max-iter 0
check "heads 0 refused" expect_error "--heads" gnn cgs "${common[@]}" --heads 0
check "features needed" expect_error "needs --features" gnn appnp "$CH/edges.txt" --labels "$CH/labels.txt"

# Graph classification: MUTAG (188 graphs), 3 folds, 2 epochs.
TU=$DATA/tu
graph_common=(--graphs "$TU/MUTAG" --name MUTAG --folds 3 --epochs 2 --hidden 8 --batch-size 16 --quiet)
graph_report() { # graph_report MODEL THREADS NAME
    "$GRL" gnn "$1" "${graph_common[@]}" $(heads "$1" 2) --threads "$2" > "$TMP/g$1$2" &&
    matches "$TMP/g$1$2" "^$3: MUTAG test accuracy [01]\.[0-9]{4} \+- [01]\.[0-9]{4} over 3 folds \(validation [01]\.[0-9]{4}\)$" &&
    awk '/test accuracy/ { a = $5 + 0; ok = a >= 0 && a <= 1 } END { exit !ok }' "$TMP/g$1$2" &&
    matches "$TMP/g$1$2" '^fixed point: contraction bound 0\.[0-9]{4}; '
}
check "graph classification, CGS, 1 thread" graph_report cgs 1 CGS
check "graph classification, CGS, 2 threads" graph_report cgs 2 CGS
# the folds' accuracies (4 decimals) average to the printed mean
check "fold accuracies average to the mean" awk '/ test accuracy / { m = $5 }
    /fold test accuracies/ { for (i = 6; i <= NF; i++) s += $i; n = NF - 5 }
    END { d = s / n - m; exit !(n == 3 && d <= 1.01e-4 && d >= -1.01e-4) }' "$TMP/gcgs1"
check "graph classification: same output with 1 and 2 threads" cmp -s "$TMP/gcgs1" "$TMP/gcgs2"
check "graph classification, IGNN" graph_report ignn 1 IGNN
skip_report() { "$GRL" gnn cgs "${graph_common[@]}" --heads 2 --skip --threads "$1" > "$TMP/skip$1"; }
check "graph classification, CGS with skip, 1 thread" skip_report 1
check "graph classification, CGS with skip, 2 threads" skip_report 2
check "skip: same output with 1 and 2 threads" cmp -s "$TMP/skip1" "$TMP/skip2"
check "skip changes the model" eval '! cmp -s "$TMP/skip1" "$TMP/gcgs1"'
check "skip is CGS's" expect_error "CGS option" gnn ignn "${graph_common[@]}" --skip
mp_report() { "$GRL" gnn cgs "${graph_common[@]}" --heads 2 --mp-layers 2 --threads "$1" > "$TMP/mp$1"; }
check "CGS with a message-passing encoder, 1 thread" mp_report 1
check "CGS with a message-passing encoder, 2 threads" mp_report 2
check "message passing: same output with 1 and 2 threads" cmp -s "$TMP/mp1" "$TMP/mp2"
check "mp-layers 4 refused" expect_error "--mp-layers" gnn cgs "${graph_common[@]}" --mp-layers 4
silu_report() { "$GRL" gnn cgs "${graph_common[@]}" --heads 2 --mp-layers 2 --activation silu --threads "$1" > "$TMP/silu$1"; }
check "CGS with SiLU, 1 thread" silu_report 1
check "CGS with SiLU, 2 threads" silu_report 2
check "SiLU: same output with 1 and 2 threads" cmp -s "$TMP/silu1" "$TMP/silu2"
check "SiLU changes the model" eval '! cmp -s "$TMP/silu1" "$TMP/mp1"'
check "unknown activation refused" expect_error "--activation: " gnn cgs "${graph_common[@]}" --activation gelu
check "activation is CGS's" expect_error "CGS option" gnn ignn "${graph_common[@]}" --activation silu
check "mp-layers is CGS's" expect_error "CGS option" gnn appnp "${graph_common[@]}" --mp-layers 1
readout_report() { "$GRL" gnn cgs "${graph_common[@]}" --heads 2 --readout sum-max --threads "$1" > "$TMP/readout$1"; }
check "CGS with the sum-max readout, 1 thread" readout_report 1
check "CGS with the sum-max readout, 2 threads" readout_report 2
check "sum-max readout: same output with 1 and 2 threads" cmp -s "$TMP/readout1" "$TMP/readout2"
check "sum-max readout changes the model" eval '! cmp -s "$TMP/readout1" "$TMP/gcgs1"'
check "unknown readout refused" expect_error "--readout: " gnn cgs "${graph_common[@]}" --readout max
check "readout is CGS's" expect_error "CGS option" gnn ignn "${graph_common[@]}" --readout sum-mean
check "readout is for graphs" expect_error "not a node task" gnn cgs "${common[@]}" --heads 2 --readout sum-max
# 20 epochs at lr 0.05: models past predicting the larger class
ensemble_report() { # ensemble_report MEMBERS THREADS
    "$GRL" gnn cgs "${graph_common[@]}" --heads 2 --epochs 20 --lr 0.05 --ensemble "$1" \
        --threads "$2" > "$TMP/ens$1$2"
}
check "CGS ensemble of 2, 1 thread" ensemble_report 2 1
check "CGS ensemble of 2, 2 threads" ensemble_report 2 2
check "ensemble: same output with 1 and 2 threads" cmp -s "$TMP/ens21" "$TMP/ens22"
single() { "$GRL" gnn cgs "${graph_common[@]}" --heads 2 --epochs 20 --lr 0.05 > "$TMP/single"; }
check "an ensemble of 1 is the single model" eval 'single && ensemble_report 1 1 && cmp -s "$TMP/ens11" "$TMP/single"'
check "an ensemble of 2 is another model" eval '! cmp -s "$TMP/ens21" "$TMP/single"'
check "ensemble 0 refused" expect_error "--ensemble" gnn cgs "${graph_common[@]}" --ensemble 0
loss_report() { "$GRL" gnn cgs "${graph_common[@]}" --heads 2 --epochs 20 --lr 0.05 --select-epoch "$1" > "$TMP/sel$1"; }
check "epoch chosen on validation loss" loss_report loss
check "epoch chosen on validation accuracy" loss_report accuracy
check "the two epoch choices differ" eval '! cmp -s "$TMP/selloss" "$TMP/selaccuracy"'
screen_report() {
    "$GRL" gnn cgs "${graph_common[@]}" --folds 4 --heads 2 --screen > "$TMP/screen" &&
    matches "$TMP/screen" "^CGS: MUTAG screened accuracy [01]\.[0-9]{4} \+- [01]\.[0-9]{4} over 4 folds" &&
    matches "$TMP/screen" "^CGS: MUTAG fold screened accuracies( [01]\.[0-9]{4}){4}$"
}
check "screening folds" screen_report
check "screening needs 4 folds" expect_error "at least 4" gnn cgs "${graph_common[@]}" --screen
check "screening is for graphs" expect_error "--screen is for --graphs" gnn cgs "${common[@]}" --screen
refit_report() { # refit_report THREADS: screening folds, an ensemble, the refit
    "$GRL" gnn cgs "${graph_common[@]}" --folds 4 --heads 2 --epochs 20 --lr 0.05 --screen \
        --ensemble 2 --refit --threads "$1" > "$TMP/refit$1" &&
    matches "$TMP/refit$1" "^CGS: MUTAG screened accuracy [01]\.[0-9]{4} \+- [01]\.[0-9]{4} over 4 folds"
}
check "refit on training + validation, 1 thread" refit_report 1
check "refit on training + validation, 2 threads" refit_report 2
check "refit: same output with 1 and 2 threads" cmp -s "$TMP/refit1" "$TMP/refit2"
check "refit: another model, the same validation figure" eval '
    "$GRL" gnn cgs "${graph_common[@]}" --folds 4 --heads 2 --epochs 20 --lr 0.05 --screen \
        --ensemble 2 > "$TMP/norefit" && ! cmp -s "$TMP/refit1" "$TMP/norefit" &&
    [ "$(grep -o "(validation .*)" "$TMP/refit1")" = "$(grep -o "(validation .*)" "$TMP/norefit")" ]'
check "unknown epoch selection refused" expect_error "--select-epoch: " gnn cgs "${graph_common[@]}" --select-epoch f1
# MUTAG with a node attribute column added: --labels-only drops it again
with_attr() {
    mkdir -p "$TMP/mutag_attr" && cp "$TU"/MUTAG/MUTAG_*.txt "$TMP/mutag_attr/" &&
    awk '{ print NR % 7 - 3 }' "$TU/MUTAG/MUTAG_node_labels.txt" > "$TMP/mutag_attr/MUTAG_node_attributes.txt" &&
    "$GRL" gnn cgs "${graph_common[@]}" --graphs "$TMP/mutag_attr" --heads 2 --threads 1 $1 > "$TMP/attr$2"
}
check "node attributes change the inputs" with_attr "" plain
check "labels only" with_attr --labels-only labels
check "labels only: the output without the attribute" eval 'cmp -s "$TMP/attrlabels" "$TMP/gcgs1" && ! cmp -s "$TMP/attrplain" "$TMP/gcgs1"'
check "labels only is for graphs" expect_error "for --graphs" gnn cgs "${common[@]}" --labels-only

gvi_data() { "$GRL" gnn gvi-generate --graphs 6 --output-dir "$TMP/gvi" > /dev/null; }
check "gvi data written" gvi_data
check "no graph labels refused" expect_error "gvi_graph_labels.txt: no graph classes" gnn cgs --graphs "$TMP/gvi" --name gvi
check "missing dataset folder" expect_error "$TMP/none" gnn cgs --graphs "$TMP/none" --name MUTAG
check "folds 1 refused" expect_error "--folds" gnn cgs "${graph_common[@]}" --folds 1
check "name without graphs" expect_error "needs both --graphs and --name" gnn cgs --name MUTAG
check "graphs with features refused" expect_error "--features" gnn cgs "${graph_common[@]}" --features x
# another model's constants and the other mode's options are refused, not ignored
check "appnp refuses --gamma" expect_error "--gamma is for grl gnn cgs" gnn appnp "${common[@]}" --gamma 0.3
check "ignn refuses --heads" expect_error "--heads is for grl gnn cgs" gnn ignn "${common[@]}" --heads 4
check "cgs refuses --alpha" expect_error "--alpha is for grl gnn appnp" gnn cgs "${common[@]}" --alpha 0.2
check "cgs refuses --kappa" expect_error "--kappa is for grl gnn ignn" gnn cgs "${common[@]}" --kappa 0.9
check "folds need graphs" expect_error "--folds is for --graphs" gnn cgs "${common[@]}" --folds 5
check "graphs refuse repeats" expect_error "--repeats" gnn cgs "${graph_common[@]}" --repeats 3
check "graphs refuse train-per-class" expect_error "--train-per-class" gnn cgs "${graph_common[@]}" --train-per-class 5
finish
