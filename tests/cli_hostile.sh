#!/usr/bin/env bash
# Hostile invocations (issue 8): every one ends in a single 'grl: error:'
# line naming the option at fault with a non-zero exit and no signal, or in
# a correct result — never a crash, a hang or NaN with exit 0.
# usage: cli_hostile.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

K=$DATA/karate/edges.txt
L=$DATA/karate/labels.txt

# refused GRL ARGS... NEEDLE: exit 1..127 (not a signal, not timeout's 124),
# one 'grl: error:' line on stderr containing NEEDLE
refused() {
    local needle=${!#} rc
    timeout 120 "$GRL" "${@:1:$#-1}" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ] || [ "$rc" -ge 128 ]; then
        echo "  exit $rc: $*"; cat "$TMP/err"; return 1
    fi
    [ "$(wc -l < "$TMP/err")" -eq 1 ] || { echo "  not one line:"; cat "$TMP/err"; return 1; }
    grep -q '^grl: error: ' "$TMP/err" || { echo "  no 'grl: error:' prefix"; cat "$TMP/err"; return 1; }
    contains "$TMP/err" "$needle"
}
quiet() { "$@" > /dev/null; }
# finite FILE: no NaN or infinity among FILE's numbers
finite() { ! grep -qiE '(nan|inf)' "$1" || { echo "  NaN/Inf in $1"; return 1; }; }
# npy_finite FILE.npy: every float32 of the payload is finite
npy_finite() {
    python3 - "$1" <<'EOF'
import math, struct, sys
b = open(sys.argv[1], 'rb').read()
hl = struct.unpack('<H', b[8:10])[0]
x = b[10 + hl:]
sys.exit(0 if all(math.isfinite(v) for v in struct.unpack('<%df' % (len(x) // 4), x)) else 1)
EOF
}

# --- class 3: resource options parsed whole and range-checked
check "threads wraps to 1" refused info "$K" --threads 4294967297 "--threads: expected an integer in 1..1024, got '4294967297'"
check "threads 100000" refused info "$K" --threads 100000 "--threads: expected an integer in 1..1024"
check "threads 0" refused walk "$K" --threads 0 "--threads: expected an integer in 1..1024, got '0'"
check "threads trailing garbage" refused fastrp "$K" --threads 2x --output "$TMP/e.npy" "--threads: expected an integer"
check "threads empty" refused partition "$K" --parts 2 --threads "" "--threads: expected an integer"
check "nodeclf threads" refused eval nodeclf --embedding "$TMP/e.npy" --labels "$L" --threads 4294967297 "--threads: expected an integer in 1..1024"
check "threads 1024 works" quiet "$GRL" info "$K" --threads 1024
check "length float" refused walk "$K" --length 1e3 "--length: expected an integer >= 1, got '1e3'"
check "seed negative" refused walk "$K" --seed -1 "--seed: expected an integer >= 0, got '-1'"
check "seed overflow" refused ppr "$K" --source 0 --seed 9223372036854775808 "--seed: expected an integer >= 0"
check "rounds beyond int" refused ppr "$K" --source 0 --rounds 4294967297 "--rounds: expected an integer in 0..2147483647"
check "katz length cast" refused linkpred topk "$K" --k 1 --method katz --katz-length 4294967299 "--katz-length: expected an integer in 1..8"
check "hops" refused linkpred tc "$K" --hops 4294967297 "--hops: expected an integer in 1..3"
check "dim zero" refused fastrp "$K" --dim 0 --output "$TMP/e.npy" "--dim: expected an integer >= 1, got '0'"
check "p nan" refused walk "$K" --p nan "--p: expected a positive number, got 'nan'"
check "q inf" refused walk "$K" --q inf "--q: expected a positive number, got 'inf'"
check "beta 1e400" refused fastrp "$K" --beta 1e400 --output "$TMP/e.npy" "--beta: expected a number, got '1e400'"
check "restart 1" refused walk "$K" --restart 1 "--restart: expected a number in [0, 1), got '1'"
check "property ratio" refused fastrp "$K" --property-ratio 2 --output "$TMP/e.npy" "--property-ratio: expected a number in [0, 1], got '2'"
check "failure" refused ppr "$K" --source 0 --method fora --failure 0 "--failure: expected a number in (0, 1), got '0'"
check "valid fraction" refused linkpred eval "$K" --valid-fraction -0.1 "--valid-fraction: expected a number in [0, 1)"
check "weights empty item" refused fastrp "$K" --weights 1,,2 --output "$TMP/e.npy" "--weights: expected a comma-separated list without empty items, got '1,,2'"
check "method empty item" refused linkpred eval "$K" --method cn,,aa "--method: expected a comma-separated list without empty items"
check "source empty item" refused ppr "$K" --source 0,,2 "--source: expected a comma-separated list without empty items"
check "missing value" refused walk "$K" --length "--length needs a value"
check "unknown option" refused info "$K" --bogus "invalid option '--bogus' (try 'grl info --help')"
check "unknown short option" refused linkpred topk "$K" -x "invalid option '-x' (try 'grl linkpred topk --help')"
check "convert --to names itself" refused convert "$K" --output "$TMP/x.grl" --to bogus "--to: unknown graph format 'bogus'"
check "value with =" refused walk "$K" --length= "--length: expected an integer >= 1, got ''"
# getopt_long reads a unique prefix as the whole name: --model set --model-out
check "abbreviation refused" refused gnn adpa --model "$TMP/m" "unknown option '--model' (did you mean '--model-out'?)"
check "abbreviation with =" refused walk "$K" --len=3 "unknown option '--len' (did you mean '--length'?)"
check "abbreviation without value" refused walk "$K" --len "unknown option '--len' (did you mean '--length'?)"
check "abbreviated shared option" refused info "$K" --thread 2 "unknown option '--thread' (did you mean '--threads'?)"
check "abbreviated flag" refused fastrp "$K" --no-norm --output "$TMP/e.npy" "unknown option '--no-norm' (did you mean '--no-normalize'?)"
check "full name with =" bash -c "'$GRL' walk '$K' --length=3 --walks-per-node=1 | wc -l | grep -qx 34"
check "empty file name" refused info "" "the file name is empty"
check "directory" refused fastrp "$TMP" --output "$TMP/e.npy" "is a directory"
check "unwritable output" refused linkpred tc "$K" --output "$TMP/no/such/dir" "cannot open for writing"
check "full disk" refused walk "$K" --length 3 --output /dev/full "'/dev/full': write failed"
check "pipe input" bash -c "cat '$K' | '$GRL' info /dev/stdin | grep -q '^nodes *34$'"

# --- class 1 (CLI side): option products that wrap
check "walk length wraps" refused walk "$K" --length 2305843009213693952 "--length"
check "walks per node wraps" refused walk "$K" --walks-per-node 4611686018427387904 "--walks-per-node x nodes is too large"
check "negatives wrap" refused linkpred eval "$K" --negatives 2305843009213693952 "--negatives"
check "ppr-index walks wrap" refused ppr-index build "$K" --walks 2305843009213693952 --output "$TMP/i.idx" "--walks: expected an integer in 1..1000000000000"
check "mc walks wrap" refused ppr "$K" --source 0 --method mc --walks 2305843009213693952 "--walks: expected an integer in 1..1000000000000"
check "fastrp dim wraps" refused fastrp "$K" --dim 4611686018427387904 --output "$TMP/e.npy" "nodes x dimension) is too large"
# a k or top beyond n means n: the same lines as k = n
check "topk huge k" bash -c "'$GRL' linkpred topk '$K' --k 4611686018427387904 > '$TMP/kbig' && '$GRL' linkpred topk '$K' --k 34 | cmp -s - '$TMP/kbig'"
check "topk huge best" bash -c "'$GRL' linkpred topk '$K' --best 2305843009213693952 > '$TMP/bbig' && '$GRL' linkpred topk '$K' --best 561 | cmp -s - '$TMP/bbig'"
check "ppr huge top" bash -c "'$GRL' ppr '$K' --source 0 --top 4611686018427387904 | wc -l | grep -qx 34"
check "node2vec extreme p ends" timeout 120 "$GRL" walk "$K" --length 5 --p 1e39 --output "$TMP/w.txt"
check "node2vec extreme p walks" test "$(wc -l < "$TMP/w.txt")" -eq 340

# --- class 4: no NaN or Inf with exit 0
check "fastrp beta 31 is finite" "$GRL" fastrp "$K" --beta 31 --output "$TMP/b31.txt"
check "fastrp beta 31 no NaN" finite "$TMP/b31.txt"
check "fastrp beta 32 overflows" refused fastrp "$K" --beta 32 --output "$TMP/e.npy" "beta 32 makes degree^beta overflow"
awk '!/^#/ { print $1, $2, 1e39 }' "$K" > "$TMP/w39.txt"
check "edge weights 1e39" "$GRL" fastrp "$TMP/w39.txt" --output "$TMP/w39.npy"
check "edge weights 1e39 finite" npy_finite "$TMP/w39.npy"
check "iteration weights overflow" refused fastrp "$K" --dim 1 --weights 3.4e38,3.4e38 --output "$TMP/e.npy" "lower the iteration weights"
check "katz huge beta" refused linkpred topk "$K" --k 2 --method katz --beta 1e200 "Katz beta 1e+200 makes the scores overflow"
check "katz eval huge beta" refused linkpred eval "$K" --method katz --beta 1e200 "Katz beta"
check "lp huge epsilon" refused linkpred topk "$K" --k 2 --method lp --epsilon 1e308 "local path epsilon"
check "weighted huge alpha" refused linkpred topk "$TMP/w39.txt" --k 2 --method ra --weighted --alpha 10 "alpha 10"
check "tc huge beta" refused linkpred tc "$K" --hops 3 --beta 1e300 "beta 1e+300 makes the topological concentration overflow"
python3 - "$TMP/nan.npy" <<'EOF'
import struct, sys
rows, cols = 34, 4
hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, cols)
hdr += ' ' * (63 - (10 + len(hdr)) % 64) + '\n'
x = [float(i % 7) for i in range(rows * cols)]
x[5 * cols + 2] = float('nan')
with open(sys.argv[1], 'wb') as f:
    f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(hdr)) + hdr.encode())
    f.write(struct.pack('<%df' % len(x), *x))
EOF
check "nodeclf NaN row" refused eval nodeclf --embedding "$TMP/nan.npy" --labels "$L" "row 5"

# --- class 4: long string ids written whole
long=$(printf 'x%.0s' $(seq 300))
printf '%sA %sB\n%sB %sC\n%sC %sA\n%sA s1\ns1 s2\ns2 %sB\n' "$long" "$long" "$long" "$long" "$long" "$long" "$long" "$long" > "$TMP/long.txt"
# distinct FILE: the first fields of FILE are 5 distinct ids
distinct() { test "$(cut -d' ' -f1 "$1" | sort -u | wc -l)" -eq 5; }
check "fastrp txt" "$GRL" fastrp "$TMP/long.txt" --string-ids --dim 4 --output "$TMP/l.txt"
check "fastrp txt ids whole" bash -c "tail -n +2 '$TMP/l.txt' > '$TMP/l2.txt' && cut -d' ' -f1 '$TMP/l2.txt' | grep -qx '${long}A'"
check "fastrp .ids" "$GRL" fastrp "$TMP/long.txt" --string-ids --dim 4 --output "$TMP/l.npy"
check "fastrp .ids distinct" distinct "$TMP/l.ids"
check "partition ids" quiet "$GRL" partition "$TMP/long.txt" --string-ids --parts 2 --output "$TMP/p.txt"
check "partition ids distinct" distinct "$TMP/p.txt"
check "tc ids" "$GRL" linkpred tc "$TMP/long.txt" --string-ids --output "$TMP/tc.txt"
check "tc ids distinct" distinct "$TMP/tc.txt"
check "topk ids whole" bash -c "'$GRL' linkpred topk '$TMP/long.txt' --string-ids --k 3 | grep -q '^${long}A s2 '"
echo "${long}A" > "$TMP/src.txt"
check "ppr sources file with a long id" bash -c "'$GRL' ppr '$TMP/long.txt' --string-ids --sources-file '$TMP/src.txt' --top 1 | grep -qx '${long}A ${long}A .*'"

# --- class 4: features are strictly `node feature value`
C=$DATA/chameleon_filtered
check "dense features refused" refused fastrp "$C/edges.txt" --directed --features "$C/features.txt" --property-ratio 0.5 --output "$TMP/e.npy" "features.txt:2: 2325 fields: this looks like a dense matrix"
printf '0 1 2.5\n1 0 1 9\n' > "$TMP/f4.txt"
check "extra field refused" refused fastrp "$K" --features "$TMP/f4.txt" --property-ratio 0.5 --output "$TMP/e.npy" "f4.txt:2: expected \`node feature value\`, got 4 fields"

# --- graph sets without arcs: CGS's arc buffers are empty (the sanitizers
# once saw memset on their NULL); with no arcs the fixed point is h = b
# whatever gamma, so two gammas must print the same figures
mkdir "$TMP/tu"
for f in graph_indicator graph_labels node_labels; do
    cp "$DATA/tu/MUTAG/MUTAG_$f.txt" "$TMP/tu/E_$f.txt"
done
: > "$TMP/tu/E_A.txt"
awk '{ print $1 / 10 }' "$DATA/tu/MUTAG/MUTAG_node_labels.txt" > "$TMP/tu/E_node_targets.txt"
for g in 0.2 0.9; do
    check "cgs without arcs, gamma $g" bash -c "'$GRL' gnn cgs --graphs '$TMP/tu' --name E --epochs 2 --folds 3 --gamma $g --quiet | grep accuracy > '$TMP/arcless$g'"
    check "mpnn cgs without arcs, gamma $g" bash -c "'$GRL' gnn mpnn --task pore --model cgs --train '$TMP/tu/E' --test '$TMP/tu/E' --epochs 2 --gamma $g | grep '^test' > '$TMP/arcless_mpnn$g'"
done
check "cgs without arcs: gamma has no effect" cmp -s "$TMP/arcless0.2" "$TMP/arcless0.9"
check "mpnn cgs without arcs: gamma has no effect" cmp -s "$TMP/arcless_mpnn0.2" "$TMP/arcless_mpnn0.9"

# --- the GVI figures read the reward from a gvi set's one arc feature: a pore
# set (conductance, length) under --task gvi was once scored on conductance
quiet "$GRL" gnn pore-generate --graphs 4 --min-pores 10 --max-pores 20 --output-dir "$TMP/tu" --name pore
check "gvi task on a pore set" refused gnn mpnn --task gvi --train "$TMP/tu/pore" --epochs 1 "$TMP/tu/pore: 2 arc features, but a --task gvi set has one"

# --- digraph profile with a single feature: the smoothness scratch held only
# n x f floats but also takes the n x 2 product with [1 | |x|^2] (ASan: heap
# overflow). Oracle: sum over arcs (x_i - x_j)^2 / arcs / (2 var) by awk for
# A, and the same table with the column given twice (f = 2)
awk '!/^#/ { print $1, 0, ($1 * 7) % 11 / 10 }' "$L" > "$TMP/f1.txt"
awk '{ print; print $1, 1, $3 }' "$TMP/f1.txt" > "$TMP/f2.txt"
check "profile, one feature" bash -c "'$GRL' digraph profile '$K' --labels '$L' --features '$TMP/f1.txt' > '$TMP/prof1'"
check "profile, the feature twice" bash -c "'$GRL' digraph profile '$K' --labels '$L' --features '$TMP/f2.txt' > '$TMP/prof2'"
check "profile, one feature = twice" cmp -s "$TMP/prof1" "$TMP/prof2"
smooth_a=$(awk 'NR == FNR { x[$1] = $3; next } !/^#/ { d = x[$1] - x[$2]; s += d * d; m++ }
    END { for (i in x) { n++; a += x[i]; b += x[i] * x[i] } printf "%.4f", s / m / (2 * (b / n - (a / n) ^ 2)) }' "$TMP/f1.txt" "$K")
check "profile, one feature: A's smoothness by brute force" bash -c "awk '\$1 == \"A\" { print \$5 }' '$TMP/prof1' | grep -qx '$smooth_a'"

# --- a pattern joining no two training nodes has no homophily: '-', not nan.
# Nodes 0 and 1 only (karate's arcs run from the lower id, so no 0 -> k -> 1)
printf '0 0\n1 0\n' > "$TMP/two_labels.txt"
check "profile, undefined cells" bash -c "'$GRL' digraph profile '$K' --labels '$TMP/two_labels.txt' > '$TMP/prof3'"
check "profile, undefined cells are -" matches "$TMP/prof3" '^AA +0 +- +-$'
check "profile, no nan" finite "$TMP/prof3"

# --- dag eval --data: values whose squares overflow printed 'score inf' with
# exit 0 (dag learn already refused them)
printf 'a,b\n0,1\n0,0\n' > "$TMP/w2.csv"
printf 'a,b\n1e308,2\n-1e308,3\n1e308,1\n' > "$TMP/huge.csv"
check "dag score overflow" refused dag eval "$TMP/w2.csv" --truth "$TMP/w2.csv" --data "$TMP/huge.csv" "huge.csv: the score overflows double precision"
# and --standardize divided them by an infinite deviation: 'variable a is constant'
check "dag standardize overflow" refused dag learn "$TMP/huge.csv" --standardize --output "$TMP/w.csv" "variable 'a' (column 1) is too large to square"

# --- string ids a format cannot read back: an edge list line starting with
# % or # is a comment (the edge vanished on the round trip), and igraph's
# Pajek reader keeps the writer's \" and \\ escapes (the ids came back
# changed); each is refused, and GraphML keeps them all
printf 'q\\w,%%c\nx"y,1\nab,*Edges\n' > "$TMP/ids.csv"
check "edge list: id read as a comment" refused convert "$TMP/ids.csv" --string-ids --no-header --output "$TMP/ids.txt" "node id '%c' would start a line and read back as a comment"
check "csv: id read as a comment" refused convert "$TMP/ids.csv" --string-ids --no-header --output "$TMP/ids2.csv" "node id '%c' would start a line"
check "pajek: escaped id" refused convert "$TMP/ids.csv" --string-ids --no-header --output "$TMP/ids.net" "holds a quote or a backslash"
check "graphml keeps every id" bash -c "'$GRL' convert '$TMP/ids.csv' --string-ids --no-header --output '$TMP/ids.graphml' && '$GRL' partition '$TMP/ids.graphml' --string-ids --parts 1 --output '$TMP/ids.part' > /dev/null"
check "graphml ids read back" bash -c "cut -d' ' -f1 '$TMP/ids.part' | LC_ALL=C sort | tr '\n' ' ' | grep -qxF '%c *Edges 1 ab q\\w x\"y '"

# --- a negatives file holding an edge (karate's first line, 0 1) was scored
# as a negative without a word
printf '0 9\n0 1\n' > "$TMP/neg_edge.txt"
check "negatives file with an edge" refused linkpred eval "$K" --negatives-file "$TMP/neg_edge.txt" "neg_edge.txt: pair 2 (0 1) is an edge of the graph, not a negative"

# --- a third column in a pairs file was ignored without a word (the help
# says `u v` lines), and a second one in a sources file
printf '0 1\n0 2 1\n' > "$TMP/pairs3.txt"
check "pairs file third column" refused linkpred score "$K" --pairs "$TMP/pairs3.txt" "pairs3.txt:2: expected two node ids per line, got more fields"
printf '0\n1 2\n' > "$TMP/sources2.txt"
check "sources file second column" refused linkpred topk "$K" --k 2 --sources-file "$TMP/sources2.txt" "sources2.txt:2: expected one node id per line, got more fields"
check "pairs file one column" refused linkpred score "$K" --pairs "$TMP/sources2.txt" "sources2.txt:1: expected two node ids per line, got one"

# --- a node id starting with # (a CSV's second column, a GraphML or GML
# file can hold one) was written to the .ids file, which then read it as a
# comment (34 rows, 33 ids): the report is the one of the same .ids with
# that id spelled x33 (unlabelled either way)
awk '!/^#/ { print "n" $1 "," ($2 == 33 ? "#33" : "n" $2) }' "$K" > "$TMP/hash.csv"
awk '!/^#/ && $1 != 33 { print "n" $1, $2 }' "$L" > "$TMP/hash_labels.txt"
ids_round_trip() {
    "$GRL" fastrp "$TMP/hash.csv" --string-ids --no-header --dim 8 --output "$TMP/hash.npy" &&
    grep -qxF '#33' "$TMP/hash.ids" &&
    sed 's/^#33$/x33/' "$TMP/hash.ids" > "$TMP/x33.ids" &&
    "$GRL" eval nodeclf --embedding "$TMP/hash.npy" --labels "$TMP/hash_labels.txt" |
        sed 1d > "$TMP/hash.out" &&
    "$GRL" eval nodeclf --embedding "$TMP/hash.npy" --labels "$TMP/hash_labels.txt" \
        --ids "$TMP/x33.ids" | sed 1d > "$TMP/x33.out" &&
    matches "$TMP/hash.out" "^Micro-F1 0\.[0-9]{4}" && cmp "$TMP/hash.out" "$TMP/x33.out"
}
check "ids: an id starting with # reads back" ids_round_trip

# --- huge but valid widths: IGNN's W at --hidden 65536 asked for 16 GiB
# before anything else; ADPA at --hidden 1048576 took 44 s and 3.2 GB on
# karate. Both are refused at once, the size and the cap named.
awk '!/^#/ { print $1, 0, 1 }' "$L" > "$TMP/kf.txt"
kgnn=("$K" --features "$TMP/kf.txt" --labels "$L" --train-per-class 4 --val 10 --repeats 1 --epochs 1)
check "ignn parameters over the cap" refused gnn ignn "${kgnn[@]}" --hidden 65536 "the model would have 4295163906 parameters (64.0 GiB with their gradients and Adam's moments), over the cap of 134217728 (2^27, 2 GiB)"
check "adpa layer over the cap" refused gnn adpa "${kgnn[@]}" --hidden 1048576 "--hidden 1048576: a hidden layer over the 34 nodes is 35651584 floats (136 MiB; a model keeps several), over the cap of 2^24 (64 MiB)"
# a --select grid's hidden values went past that cap (no --hidden given)
check "adpa grid layer over the cap" refused gnn adpa "${kgnn[@]}" --select hidden=8,1048576 "--hidden 1048576: a hidden layer over the 34 nodes is 35651584 floats (136 MiB; a model keeps several), over the cap of 2^24 (64 MiB)"
check "a wide model under the caps runs" quiet "$GRL" gnn appnp "${kgnn[@]}" --hidden 4096

# --- node attributes of 1e30 overflow message passing at the first step:
# the message named the learning rate; it now names the inputs
"$GRL" gnn gvi-generate --graphs 4 --output-dir "$TMP/gvi" --seed 1 > /dev/null
mkdir -p "$TMP/gvi30" && cp "$TMP/gvi"/* "$TMP/gvi30/"
awk -F, -v OFS=, '{ for (i = 1; i <= NF; i++) $i *= 1e30; print }' "$TMP/gvi/gvi_node_attributes.txt" > "$TMP/gvi30/gvi_node_attributes.txt"
check "huge inputs named" refused gnn mpnn --task gvi --train "$TMP/gvi30/gvi" --test "$TMP/gvi/gvi" --epochs 1 "the layer's inputs reach 1e+30, too large for float32 arithmetic (above 1.84e+19): scale the features down"

# --- a feature beyond float32 is named by the node's id (30), not its index (2)
printf '10 20\n20 30\n' > "$TMP/g3.txt"
printf '10 0 1\n30 0 1e39\n' > "$TMP/g3f.txt"
printf '10 0\n20 1\n30 0\n' > "$TMP/g3l.txt"
check "feature overflow names the id" refused gnn appnp "$TMP/g3.txt" --features "$TMP/g3f.txt" --labels "$TMP/g3l.txt" "g3f.txt: the value of node '30', feature 0 is not a finite float32 number"

# --- generator outputs: a --name that --train DIR/NAME cannot read back, and
# a file given as the folder (the error now says why)
check "generator empty name" refused gnn gvi-generate --graphs 1 --output-dir "$TMP/gen" --name "" "--name: expected a file prefix without '/', got ''"
check "generator name with /" refused gnn pore-generate --graphs 1 --output-dir "$TMP/gen" --name a/b "--name: expected a file prefix"
check "generator folder is a file" refused gnn gvi-generate --graphs 1 --output-dir "$K" "edges.txt/gvi_A.txt: cannot open for writing: Not a directory"

finish
