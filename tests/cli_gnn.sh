#!/usr/bin/env bash
# CLI tests of grl gnn adpa and grl digraph profile: the report's format,
# model and prediction files, thread-independent output, help, and the error
# contract (one 'grl: error:' line naming file and line) on hostile inputs.
# Kept small: Chameleon-filtered (890 nodes) with few epochs, trained on the
# first 3 of its 10 splits (the cost is per split; what is checked is not).
# usage: cli_gnn.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

CH=$DATA/chameleon_filtered
SPLITS=$TMP/splits3.txt
awk '/^#/ || $1 < 3' "$CH/splits.txt" > "$SPLITS"
common=("$CH/edges.txt" --features "$CH/features.txt" --labels "$CH/labels.txt"
        --splits "$SPLITS" --epochs 6 --quiet)

adpa_report() {
    "$GRL" gnn adpa "${common[@]}" --patterns dir --threads "$1" \
        --model-out "$TMP/m$1.adpa" --predictions "$TMP/p$1.txt" > "$TMP/out$1" &&
    matches "$TMP/out$1" '^ADPA, patterns dir, 2 hops: test accuracy 0\.[0-9]{4} \+- 0\.[0-9]{4} over 3 splits' &&
    matches "$TMP/out$1" '^pattern mass: features 0\.[0-9]{3} A 0\.[0-9]{3} At 0\.[0-9]{3}$' &&
    [ "$(wc -l < "$TMP/p$1.txt")" -eq 890 ] &&
    matches "$TMP/p$1.txt" '^0 [0-4]( [0-9.e-]+){5}$'
}
check "adpa report, 1 thread" adpa_report 1
check "adpa report, 2 threads" adpa_report 2
check "same output with 1 and 2 threads" cmp -s "$TMP/out1" "$TMP/out2"
check "same predictions with 1 and 2 threads" cmp -s "$TMP/p1.txt" "$TMP/p2.txt"
check "same model file with 1 and 2 threads" cmp -s "$TMP/m1.adpa" "$TMP/m2.adpa"

generated() {
    "$GRL" gnn adpa "$CH/edges.txt" --features "$CH/features.txt" --labels "$CH/labels.txt" \
        --train-per-class 10 --val 100 --repeats 2 --epochs 5 --patterns features \
        --seed 3 --quiet > "$TMP/gen" &&
    matches "$TMP/gen" 'patterns features, 2 hops: .* over 2 splits' &&
    matches "$TMP/gen" '^pattern mass: features 1\.000$'
}
check "generated splits, features only" generated
all_undirected() { # the set's branches are named: one drawn split is enough
    "$GRL" gnn adpa "$CH/edges.txt" --features "$CH/features.txt" --labels "$CH/labels.txt" \
        --train-per-class 10 --val 100 --repeats 1 --epochs 3 --quiet \
        --patterns all+undirected > "$TMP/allu" &&
    matches "$TMP/allu" '^ADPA, patterns all\+undirected, 2 hops: test accuracy 0\.[0-9]{4}' &&
    matches "$TMP/allu" '^pattern mass: features 0\.[0-9]{3} A .* AtAt 0\.[0-9]{3} sym 0\.[0-9]{3}$'
}
check "the six patterns and the symmetrised graph" all_undirected
# the empty-hop mask and the reference's hop damping: the same bits with 1
# and 2 threads, and the damping reaches the model (not just the parser);
# one weight decay (ADPA's two are the report's case above)
masked=("${common[@]}" --patterns all --weight-decay 0.0005 --mask-empty-hops 1)
masked_damped() {
    "$GRL" gnn adpa "${masked[@]}" --hop-damping 1 \
        --threads "$1" --model-out "$TMP/md$1.adpa" > "$TMP/md$1" &&
    matches "$TMP/md$1" '^ADPA, patterns all, 2 hops: test accuracy 0\.[0-9]{4}'
}
check "mask and damping, 1 thread" masked_damped 1
check "mask and damping, 2 threads" masked_damped 2
check "mask and damping: same output with 1 and 2 threads" cmp -s "$TMP/md1" "$TMP/md2"
check "mask and damping: same model file with 1 and 2 threads" \
    cmp -s "$TMP/md1.adpa" "$TMP/md2.adpa"
damping_matters() {
    "$GRL" gnn adpa "${masked[@]}" > "$TMP/mnd" &&
    ! cmp -s <(grep '^ADPA' "$TMP/md1") <(grep '^ADPA' "$TMP/mnd")
}
check "damping changes the figures" damping_matters
# node pattern attention: named in the report, the same bits with 1 and 2
# threads, a different model from the scalar one; its model file predicts
# what the run did
node_attention() {
    "$GRL" gnn adpa "${common[@]}" --patterns dir --pattern-attention node \
        --threads "$1" --model-out "$TMP/na$1.adpa" > "$TMP/na$1" &&
    matches "$TMP/na$1" '^ADPA, patterns dir, 2 hops, node pattern attention: test accuracy 0\.[0-9]{4}' &&
    matches "$TMP/na$1" '^pattern mass: features 0\.[0-9]{3} A 0\.[0-9]{3} At 0\.[0-9]{3}$'
}
check "node pattern attention, 1 thread" node_attention 1
check "node pattern attention, 2 threads" node_attention 2
check "node pattern attention: same output with 1 and 2 threads" cmp -s "$TMP/na1" "$TMP/na2"
check "node pattern attention: same model file with 1 and 2 threads" \
    cmp -s "$TMP/na1.adpa" "$TMP/na2.adpa"
node_differs() { ! cmp -s <(grep '^pattern mass' "$TMP/na1") <(grep '^pattern mass' "$TMP/out1"); }
check "node pattern attention is another model" node_differs
# --ensemble: 1 is the single model (report, model file and predictions);
# 2 is named in the report, gives the same bits with 1 and 2 threads, and
# other figures
ensemble_report() { # ensemble_report MEMBERS THREADS
    "$GRL" gnn adpa "${common[@]}" --patterns dir --ensemble "$1" --threads "$2" \
        --model-out "$TMP/e$1_$2.adpa" --predictions "$TMP/ep$1_$2.txt" > "$TMP/e$1_$2"
}
check "an ensemble of 1 is the single model" eval 'ensemble_report 1 1 &&
    cmp -s "$TMP/e1_1" "$TMP/out1" && cmp -s "$TMP/e1_1.adpa" "$TMP/m1.adpa" &&
    cmp -s "$TMP/ep1_1.txt" "$TMP/p1.txt"'
check "ensemble of 2, 1 thread" ensemble_report 2 1
check "ensemble of 2, 2 threads" ensemble_report 2 2
check "ensemble: same output, model and predictions with 1 and 2 threads" eval '
    cmp -s "$TMP/e2_1" "$TMP/e2_2" && cmp -s "$TMP/e2_1.adpa" "$TMP/e2_2.adpa" &&
    cmp -s "$TMP/ep2_1.txt" "$TMP/ep2_2.txt"'
check "ensemble named in the report" matches "$TMP/e2_1" \
    '^ADPA, patterns dir, 2 hops, ensembles of 2: test accuracy 0\.[0-9]{4} \+- 0\.[0-9]{4} over 3 splits'
check "an ensemble of 2 gives other figures" eval \
    '! cmp -s <(grep -o "test accuracy.*" "$TMP/e2_1") <(grep -o "test accuracy.*" "$TMP/out1")'

# .npz features (Bojchevski / PyG CSR layout, written by tests/npz_write.py
# as numpy does: float64 data, zip64 members) give the same bits as the text
npz_same() {
    python3 "$(dirname "$0")/npz_write.py" "$CH/features.txt" "$TMP/f_$1.npz" "$@" &&
    "$GRL" gnn adpa "$CH/edges.txt" --features "$CH/features.txt" --labels "$CH/labels.txt" \
        --splits "$SPLITS" --epochs 4 --patterns features --quiet \
        --predictions "$TMP/ptxt" > "$TMP/otxt" &&
    "$GRL" gnn adpa "$CH/edges.txt" --features "$TMP/f_$1.npz" --labels "$CH/labels.txt" \
        --splits "$SPLITS" --epochs 4 --patterns features --quiet \
        --predictions "$TMP/pnpz" > "$TMP/onpz" &&
    cmp -s "$TMP/otxt" "$TMP/onpz" && cmp -s "$TMP/ptxt" "$TMP/pnpz"
}
check "npz features, stored CSR: same as text" npz_same stored
check "npz features, deflated CSR: same as text" npz_same deflated
check "npz features, dense attr_matrix: same as text" npz_same deflated dense
head -c 3000 "$TMP/f_stored.npz" > "$TMP/cut.npz"
python3 -c "
import sys; b = bytearray(open(sys.argv[1], 'rb').read())
b[b.index(b'NUMPY') + 200] ^= 0x55; open(sys.argv[2], 'wb').write(b)" "$TMP/f_stored.npz" "$TMP/crc.npz"
check "truncated npz" expect_error "cut.npz: truncated .npz: no zip end record" \
    gnn adpa "${common[@]}" --features "$TMP/cut.npz"
check "npz with a damaged member" expect_error "crc.npz: member attr_data.npy fails its CRC-32 check" \
    gnn adpa "${common[@]}" --features "$TMP/crc.npz"

# --select: every setting of the grid is trained, one line each, and the one
# with the best mean validation accuracy is kept (checked here against the
# printed lines: the first maximum), its figures being those of the run
# with that setting given as plain options
fast=("$CH/edges.txt" --features "$CH/features.txt" --labels "$CH/labels.txt"
      --splits "$SPLITS" --epochs 4 --patterns features --quiet)
select_grid() {
    "$GRL" gnn adpa "${fast[@]}" --select dropout=0.2,0.5 --select lr=0.01,0.06 \
        > "$TMP/sel" &&
    [ "$(grep -c '^select dropout [0-9.]*, lr [0-9.]*: validation 0\.[0-9]\{4\}, test' \
         "$TMP/sel")" -eq 4 ] &&
    local want && want=$(awk -F': validation |, test' '/^select /{
            sub(/^select /, "", $1); if (!seen || $2 > best) { best = $2; pick = $1; seen = 1 } }
        END { print pick }' "$TMP/sel") &&
    contains "$TMP/sel" "selected on validation: $want" &&
    local d=${want#dropout } && d=${d%%,*} && local lr=${want##*lr } &&
    "$GRL" gnn adpa "${fast[@]}" --dropout "$d" --lr "$lr" > "$TMP/plain" &&
    cmp -s <(grep '^ADPA' "$TMP/sel") <(grep '^ADPA' "$TMP/plain")
}
check "select keeps the best validation setting" select_grid
select_one() {
    "$GRL" gnn adpa "${fast[@]}" --select dropout=0.3 > "$TMP/one" &&
    "$GRL" gnn adpa "${fast[@]}" --dropout 0.3 > "$TMP/one_plain" &&
    cmp -s "$TMP/one" "$TMP/one_plain"
}
check "a one-value select is the plain option" select_one
select_screen() {
    "$GRL" gnn adpa "${fast[@]}" --select dropout=0.2,0.5 --screen 2 > "$TMP/scr" &&
    [ "$(grep -c '^select .* over 2 splits$' "$TMP/scr")" -eq 2 ] &&
    matches "$TMP/scr" '^ADPA, .* over 3 splits' &&
    local d && d=$(sed -n 's/^selected on validation: dropout //p' "$TMP/scr") &&
    "$GRL" gnn adpa "${fast[@]}" --dropout "$d" > "$TMP/scr_plain" &&
    cmp -s <(grep '^ADPA' "$TMP/scr") <(grep '^ADPA' "$TMP/scr_plain")
}
check "select screens on the first splits, then trains the pick on all" select_screen
select_screen_ensemble() { # the screen compares ensembles, the pick is trained as one
    "$GRL" gnn adpa "${fast[@]}" --select dropout=0.2,0.5 --screen 2 --ensemble 2 \
        > "$TMP/scre" &&
    [ "$(grep -c '^select .* over 2 splits$' "$TMP/scre")" -eq 2 ] &&
    matches "$TMP/scre" '^ADPA, .*, ensembles of 2: .* over 3 splits' &&
    ! cmp -s <(grep '^select' "$TMP/scr") <(grep '^select' "$TMP/scre") &&
    local d && d=$(sed -n 's/^selected on validation: dropout //p' "$TMP/scre") &&
    "$GRL" gnn adpa "${fast[@]}" --dropout "$d" --ensemble 2 > "$TMP/scre_plain" &&
    cmp -s <(grep '^ADPA' "$TMP/scre") <(grep '^ADPA' "$TMP/scre_plain")
}
check "select screens ensembles" select_screen_ensemble
select_attention() {
    "$GRL" gnn adpa "${fast[@]}" --patterns dir \
        --select pattern-attention=scalar,node,node-concat > "$TMP/pa" &&
    matches "$TMP/pa" '^select pattern-attention scalar: validation 0\.[0-9]{4}' &&
    matches "$TMP/pa" '^select pattern-attention node: validation 0\.[0-9]{4}' &&
    matches "$TMP/pa" '^select pattern-attention node-concat: validation 0\.[0-9]{4}' &&
    local a && a=$(sed -n 's/^selected on validation: pattern-attention //p' "$TMP/pa") &&
    "$GRL" gnn adpa "${fast[@]}" --patterns dir --pattern-attention "$a" > "$TMP/pa_plain" &&
    cmp -s <(grep '^ADPA' "$TMP/pa") <(grep '^ADPA' "$TMP/pa_plain")
}
check "select over the pattern attention" select_attention
# --per-split adds one line per split after the unchanged report; their
# test accuracies average to the summary's
per_split() {
    "$GRL" gnn adpa "${common[@]}" --patterns dir --per-split > "$TMP/ps" &&
    cmp -s <(head -n 2 "$TMP/ps") <(head -n 2 "$TMP/out1") &&
    [ "$(grep -cE '^split [0-9]+: validation 0\.[0-9]{4}, test 0\.[0-9]{4}$' "$TMP/ps")" -eq 3 ] &&
    awk '/^ADPA/ { want = $(NF - 7) } /^split/ { sum += $NF; n++ }
         END { d = sum / n - want; exit !(n == 3 && d < 1.1e-4 && d > -1.1e-4) }' "$TMP/ps"
}
check "per-split figures" per_split
select_scale() {
    "$GRL" gnn adpa "${fast[@]}" --patterns all+undirected \
        --select directed-scale-init=1,0 > "$TMP/dsi" &&
    matches "$TMP/dsi" '^select directed-scale-init 1: validation 0\.[0-9]{4}' &&
    matches "$TMP/dsi" '^select directed-scale-init 0: validation 0\.[0-9]{4}' &&
    local v && v=$(sed -n 's/^selected on validation: directed-scale-init //p' "$TMP/dsi") &&
    "$GRL" gnn adpa "${fast[@]}" --patterns all+undirected --directed-scale-init "$v" \
        > "$TMP/dsi_plain" &&
    cmp -s <(grep '^ADPA' "$TMP/dsi") <(grep '^ADPA' "$TMP/dsi_plain")
}
check "select over the directed branches' starting scale" select_scale

profile() {
    "$GRL" digraph profile "$CH/edges.txt" --labels "$CH/labels.txt" \
        --splits "$CH/splits.txt" > "$TMP/prof" &&
    matches "$TMP/prof" '^pattern +pair weight +homophily +adjusted$' &&
    [ "$(grep -cE '^(A|At|AA|AAt|AtA|AtAt|sym) ' "$TMP/prof")" -eq 7 ] &&
    matches "$TMP/prof" '^recommendation: (all|undirected|dir|features)$'
}
check "digraph profile table" profile
smooth() {
    "$GRL" digraph profile "$CH/edges.txt" --labels "$CH/labels.txt" \
        --splits "$CH/splits.txt" --features "$CH/features.txt" > "$TMP/profs" &&
    matches "$TMP/profs" '^pattern +pair weight +homophily +adjusted +smoothness$' &&
    [ "$(grep -cE '^(A|At|AA|AAt|AtA|AtAt|sym) +[0-9]+( +-?[0-9.]+){3}$' "$TMP/profs")" -eq 7 ]
}
check "digraph profile with feature smoothness" smooth
# --patterns auto follows the profile: on Cora-ML it must pick the directed
# patterns (README, the same search for every pipeline, 10 splits: ADPA
# 0.810 +- 0.016, with the seventh branch 0.812 +- 0.007, undirected
# 0.810 +- 0.015, features only 0.669: a graph pipeline, and no worse than
# the undirected one)
auto_cora() {
    "$GRL" digraph profile "$DATA/cora_ml/edges.txt" --labels "$DATA/cora_ml/labels.txt" \
        > "$TMP/cora_prof" && matches "$TMP/cora_prof" '^recommendation: all$'
}
check "profile picks the winning pipeline on Cora-ML" auto_cora

helps() { "$GRL" "$@" --help > "$TMP/help" && contains "$TMP/help" "usage: grl $1"; }
check "gnn help" helps gnn adpa
check "gnn help: what --model-out saves of an ensemble" contains "$TMP/help" "take the first member of the split"
check "profile help" helps digraph profile

# hostile inputs: one line naming the problem
printf '0 0\n1 9\n' > "$TMP/gap.txt"
printf '0 3\n99999 1\n' > "$TMP/ghost.txt"
printf '1 2 3 4\n5 6\n' > "$TMP/ragged.txt"
printf '0 0 train\n0 1 dev\n' > "$TMP/role.txt"
printf '0 0 val\n0 1 test\n' > "$TMP/notrain.txt"
base=("$CH/edges.txt" --features "$CH/features.txt" --labels "$CH/labels.txt" --quiet)
check "empty weight-decay item" expect_error "--weight-decay" gnn adpa "${base[@]}" --weight-decay 0.01,,0.1
check "trailing weight-decay comma" expect_error "--weight-decay" gnn adpa "${base[@]}" --weight-decay 0.01,
check "screen without select" expect_error "nothing to screen" gnn adpa "${base[@]}" --screen 2
check "directed scale above 1" expect_error "--directed-scale-init" gnn adpa "${base[@]}" \
    --directed-scale-init 1.5
check "directed scale without scales" expect_error "directed_scale_init" gnn adpa "${base[@]}" \
    --patterns dir --pattern-attention node --directed-scale-init 0 --epochs 2
check "class gap" expect_error "class 1 has no node" gnn adpa "$CH/edges.txt" \
    --features "$CH/features.txt" --labels "$TMP/gap.txt"
check "label node not in graph" expect_error "ghost.txt:2: node '99999' is not in the graph" \
    gnn adpa "$CH/edges.txt" --features "$CH/features.txt" --labels "$TMP/ghost.txt"
check "ragged dense features" expect_error "ragged.txt:2: 2 values, but the first row has 4" \
    gnn adpa "$CH/edges.txt" --features "$TMP/ragged.txt" --labels "$CH/labels.txt"
check "unknown role" expect_error "role.txt:2: unknown role 'dev'" \
    gnn adpa "${base[@]}" --splits "$TMP/role.txt"
check "no training node" expect_error "split 0 has no training node" \
    gnn adpa "${base[@]}" --splits "$TMP/notrain.txt"
check "bad pattern set" expect_error "unknown pattern set 'diag'" \
    gnn adpa "${base[@]}" --patterns diag
check "hop start out of range" expect_error "--hop-prior" \
    gnn adpa "${base[@]}" --hop-prior 25
check "bad optimizer" expect_error "unknown optimizer 'lion'" \
    gnn adpa "${base[@]}" --optimizer lion
check "dropout out of range" expect_error "--dropout" gnn adpa "${base[@]}" --dropout 1
check "hops out of range" expect_error "--hops" gnn adpa "${base[@]}" --hops 0
check "mask flag out of range" expect_error "--mask-empty-hops" gnn adpa "${base[@]}" \
    --mask-empty-hops 2
check "damping flag out of range" expect_error "--select hop-damping" gnn adpa \
    "${base[@]}" --select hop-damping=0,3
check "select: unknown setting" expect_error "NAME one of hops" \
    gnn adpa "${base[@]}" --select epochs=1,2
check "select: no value" expect_error "--select dropout: expected a comma" \
    gnn adpa "${base[@]}" --select dropout=
check "select: value out of range" expect_error "--select dropout" \
    gnn adpa "${base[@]}" --select dropout=0.5,1
check "select: setting twice" expect_error "lr is given twice" \
    gnn adpa "${base[@]}" --select lr=0.1 --select lr=0.2
check "bad pattern attention" expect_error "--pattern-attention: unknown pattern attention 'edge'" \
    gnn adpa "${base[@]}" --pattern-attention edge
check "select: bad pattern attention" expect_error "--select pattern-attention: unknown" \
    gnn adpa "${base[@]}" --select pattern-attention=scalar,both
check "ensemble out of range" expect_error "--ensemble" gnn adpa "${base[@]}" --ensemble 0
check "ensemble above 256" expect_error "--ensemble" gnn adpa "${base[@]}" --ensemble 257
check "too many per class" expect_error "fewer than 500 per class" \
    gnn adpa "${base[@]}" --train-per-class 500
check "missing features" expect_error "needs --features and --labels" \
    gnn adpa "$CH/edges.txt" --labels "$CH/labels.txt"
check "missing features file" expect_error "nope.txt" \
    gnn adpa "$CH/edges.txt" --features "$TMP/nope.txt" --labels "$CH/labels.txt"
check "unknown gnn model" expect_error "expected a model (adpa" gnn gat
check "profile without labels" expect_error "needs --labels" digraph profile "$CH/edges.txt"
check "unknown digraph command" expect_error "expected profile" digraph flip

finish
