#!/usr/bin/env bash
# Rebuild the seed corpora in fuzz/corpus/ from small real files in the
# shared data (cut to a few KB) and files the grl CLI writes from them.
# usage: fuzz/make_corpus.sh BUILD_DIR [DATA_DIR]
#   BUILD_DIR holds the grl CLI; fuzz_ppr_index or replay_ppr_index from it
#   (or build-fuzz/) writes the index seed for that harness's own graph.
# Graph harnesses read their options from the first byte (see fuzz_graph.c):
# 0x00 defaults, 0x01 undirected, 0x02 directed, 0x04 string ids, 0x40
# non-positive weights allowed, 0x80 header.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
DATA=$(cd "${2:-$(dirname "$0")/../../shared/data}" && pwd)
cd "$(dirname "$0")"
GRL="$BUILD/grl"
OUT=corpus
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"/{edgelist,csv,mtx,grl,graphml,gml,pajek,npy,features,labels,ppr_index,ncn_model,partition}

# seed FILE HARNESS NAME BYTE: the option byte, then FILE
seed() { { printf "\\x$4"; cat "$1"; } > "$OUT/$2/$3"; }
# first N bytes of a file, cut at a line end
head_bytes() { head -c "$2" "$1" | sed '$d'; }

K="$DATA/karate"
head_bytes "$DATA/email-eu-core/email-Eu-core.txt" 1500 > "$TMP/email.txt"
head_bytes "$DATA/ca-grqc/CA-GrQc.txt" 1500 > "$TMP/grqc.txt"
head_bytes "$DATA/p2p-gnutella08/p2p-Gnutella08.edgelist" 1000 > "$TMP/p2p.txt"
# string ids and weights: karate's edges renamed and weighted by line
awk '{ printf "n%s,club-%s %d.5\n", $1, $2, NR }' "$K/edges.txt" > "$TMP/named.txt"
awk '{ printf "%s\t%s\t-%d\n", $1, $2, NR % 3 }' "$K/edges.txt" > "$TMP/signed.txt"

seed "$K/edges.txt" edgelist karate 00
seed "$TMP/email.txt" edgelist email-directed 02
seed "$TMP/grqc.txt" edgelist grqc-snap 01
seed "$TMP/p2p.txt" edgelist p2p-tabs 02
seed "$TMP/named.txt" edgelist named-weighted 04
seed "$TMP/signed.txt" edgelist signed-weights 40
# declared node sets: edges, a NUL, then the node file (karate's ids plus
# isolated ones; string ids of named.txt plus one)
{ cat "$K/edges.txt"; printf '\0# nodes\n'; seq 0 40; } > "$TMP/declared.txt"
{ cat "$TMP/named.txt"; printf '\0'; tr ', ' '\n\n' < "$TMP/named.txt" |
  grep -v '^[0-9.]*$' | sort -u; echo lonely; } > "$TMP/declared-named.txt"
seed "$TMP/declared.txt" edgelist karate-declared 00
seed "$TMP/declared-named.txt" edgelist named-declared 04

"$GRL" convert "$K/edges.txt" --output "$TMP/karate.csv" --quiet
"$GRL" convert "$TMP/named.txt" --string-ids --output "$TMP/named.csv" --quiet
head_bytes "$DATA/sachs/1_cd3cd28_n854.csv" 800 > "$TMP/sachs.csv"
seed "$TMP/karate.csv" csv karate 00
seed "$TMP/named.csv" csv named 04
seed "$TMP/sachs.csv" csv sachs-header 80
seed "$TMP/email.txt" csv email-spaces 02
seed "$TMP/declared.txt" csv karate-declared 00

"$GRL" convert "$TMP/email.txt" --directed --output "$TMP/email.mtx" --quiet
"$GRL" convert "$TMP/named.txt" --string-ids --output "$TMP/named.mtx" --quiet
seed "$K/karate.mtx" mtx karate 00
seed "$TMP/email.mtx" mtx email-general 00
seed "$TMP/named.mtx" mtx weighted 00

for fmt in grl graphml gml pajek; do
    ext=$fmt; [ "$fmt" = pajek ] && ext=net
    "$GRL" convert "$K/edges.txt" --output "$TMP/karate.$ext" --quiet
    "$GRL" convert "$TMP/email.txt" --directed --output "$TMP/email.$ext" --quiet
    "$GRL" convert "$TMP/named.txt" --string-ids --output "$TMP/named.$ext" --quiet
    seed "$TMP/karate.$ext" $fmt karate 00
    seed "$TMP/email.$ext" $fmt email-directed 00
    seed "$TMP/named.$ext" $fmt named-weighted 00
done

"$GRL" fastrp "$K/edges.txt" --dim 8 --output "$OUT/npy/karate-d8.npy" --quiet
"$GRL" fastrp "$TMP/named.txt" --string-ids --dim 4 --output "$TMP/named.npy" --quiet
cp "$TMP/named.npy" "$OUT/npy/named-d4.npy"
python3 - "$OUT/npy" <<'PY'
import struct, sys
def npy(path, dtype, shape, values):  # NumPy format 1.0, C order
    head = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (dtype, shape)
    head += " " * (63 - (len(head) + 10) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head.encode())
        f.write(b"".join(struct.pack(dtype[1:].replace("f8", "<d").replace("f4", "<f"), v) for v in values))
npy(sys.argv[1] + "/f8-2x3.npy", "<f8", "(2, 3)", [0.5, -1.0, 2.0, 1e30, 0.0, 3.25])
npy(sys.argv[1] + "/empty-0x4.npy", "<f4", "(0, 4)", [])
PY

awk '$1 !~ /^#/ && $1 < 40 && n++ < 150' "$DATA/cora_planetoid/features.txt" > "$OUT/features/cora-sparse"
awk 'NR > 3 { exit } { s = $1; for (i = 2; i <= 60 && i <= NF; i++) s = s " " $i; print s }' \
    "$DATA/chameleon_filtered/features.txt" > "$OUT/features/chameleon-dense"
printf '0 0 1.5\n3,2,-4e-3\n# comment\n39 7 1e3\n' > "$OUT/features/mixed"

cat "$K/labels.txt" > "$OUT/labels/karate"
awk '$1 !~ /^#/ && $1 < 1024 && n++ < 120' "$DATA/blogcatalog/labels.txt" > "$OUT/labels/blogcatalog-multi"
head_bytes "$DATA/chameleon_filtered/labels.txt" 600 > "$OUT/labels/chameleon"
# with an ids file (after a NUL): the named graph's .ids from fastrp
awk '{ print $1, ($1 ~ /1/ ? "odd" : "even") }' "$TMP/named.ids" 2>/dev/null \
    > "$TMP/named.labels" || true
if [ -s "$TMP/named.labels" ]; then
    { cat "$TMP/named.labels"; printf '\0'; cat "$TMP/named.ids"; } > "$OUT/labels/named-with-ids"
fi

# partition directories: byte 00 a part file, 01 the manifest
"$GRL" partition "$K/edges.txt" --parts 3 --output-dir "$TMP/karate-parts" > /dev/null
"$GRL" partition "$TMP/email.txt" --directed --parts 2 --output-dir "$TMP/email-parts" > /dev/null
"$GRL" partition "$TMP/named.txt" --string-ids --parts 2 --output-dir "$TMP/named-parts" > /dev/null
seed "$TMP/karate-parts/part-00001.grlp" partition karate-part 00
seed "$TMP/email-parts/part-00000.grlp" partition email-directed-part 00
seed "$TMP/named-parts/part-00001.grlp" partition named-weighted-part 00
seed "$TMP/karate-parts/manifest.grlm" partition karate-manifest 01
seed "$TMP/named-parts/manifest.grlm" partition named-manifest 01

"$GRL" ppr-index build "$K/edges.txt" --walks 4 --output "$OUT/ppr_index/karate-w4" --quiet
# the harness writes an index of its own graph, then replays the npy seeds
for h in "$BUILD/replay_ppr_index" "$BUILD/fuzz_ppr_index"; do
    if [ -x "$h" ]; then
        runs=; case $h in */fuzz_*) runs=-runs=0 ;; esac
        GRL_FUZZ_WRITE_SEED="$OUT/ppr_index/er34-w8" "$h" $runs "$OUT/npy" >/dev/null 2>&1
        break
    fi
done
# the partitioned index: the harness writes one of its own partition
mkdir -p "$OUT/mpi_ppr_index"
for h in "$BUILD/replay_mpi_ppr_index" "$BUILD/fuzz_mpi_ppr_index"; do
    if [ -x "$h" ]; then
        runs=; case $h in */fuzz_*) runs=-runs=0 ;; esac
        GRL_FUZZ_WRITE_SEED="$OUT/mpi_ppr_index/er34-w8" "$h" $runs "$OUT/npy" >/dev/null 2>&1
        break
    fi
done
# graph sets: a TU dataset's files joined by "##" lines, "!" for a missing
# file (see fuzz_graph_set.c)
mkdir -p "$OUT/graph_set"
join_set() {
    local sep=
    for s in graph_indicator A graph_labels node_labels node_attributes edge_labels \
             edge_attributes node_targets; do
        printf '%s' "$sep"; sep=$'##\n'
        if [ -f "$1/$2_$s.txt" ]; then cat "$1/$2_$s.txt"; else echo '!'; fi
    done
}
# two graphs with every file, A out of order (the shape of tests/test_graph_set.c)
printf '1\n1\n1\n2\n2\n##\n2, 3\n3, 1\n1, 2\n5, 4\n2, 1\n3, 2\n4, 5\n##\n-1\n1\n##\n0\n2\n1\n0\n2\n##\n0.5\n1.5\n2.5\n3.5\n4.5\n##\n0\n1\n0\n1\n0\n1\n0\n##\n0\n10\n20\n30\n40\n50\n60\n##\n1, -1\n2, -2\n3, -3\n4, -4\n5, -5\n' \
    > "$OUT/graph_set/small"
M=$DATA/tu/MUTAG
n=$(awk '$1 <= 3' "$M/MUTAG_graph_indicator.txt" | wc -l)
m=$(awk -F, -v n="$n" '$1 + 0 <= n' "$M/MUTAG_A.txt" | wc -l) # a prefix of A
mkdir -p "$TMP/mutag"
head -n "$n" "$M/MUTAG_graph_indicator.txt" > "$TMP/mutag/m_graph_indicator.txt"
head -n "$n" "$M/MUTAG_node_labels.txt" > "$TMP/mutag/m_node_labels.txt"
head -n "$m" "$M/MUTAG_A.txt" > "$TMP/mutag/m_A.txt"
head -n "$m" "$M/MUTAG_edge_labels.txt" > "$TMP/mutag/m_edge_labels.txt"
head -n 3 "$M/MUTAG_graph_labels.txt" > "$TMP/mutag/m_graph_labels.txt"
join_set "$TMP/mutag" m > "$OUT/graph_set/mutag3"
"$GRL" gnn gvi-generate --graphs 2 --min-states 6 --max-states 8 --min-actions 2 \
    --max-actions 4 --output-dir "$TMP/gvi" > /dev/null
join_set "$TMP/gvi" gvi > "$OUT/graph_set/gvi2"
"$GRL" gnn pore-generate --graphs 2 --min-pores 8 --max-pores 12 --output-dir "$TMP/pore" > /dev/null
join_set "$TMP/pore" pore > "$OUT/graph_set/pore2"

# an NCNC model of the ncn_model harness's graph (trained by the harness),
# and a file that stops after the magic
for h in "$BUILD/replay_ncn_model" "$BUILD/fuzz_ncn_model"; do
    if [ -x "$h" ]; then
        runs=; case $h in */fuzz_*) runs=-runs=0 ;; esac
        GRL_FUZZ_WRITE_SEED="$OUT/ncn_model/er34-h4-ncnc" "$h" $runs "$OUT/npy" >/dev/null 2>&1
        break
    fi
done
printf 'GRLNCN01' > "$OUT/ncn_model/magic-only"
# APPNP, IGNN and CGS models of the fpgnn_model harness's graph (trained
# by the harness), and a file that stops after the magic
mkdir -p "$OUT/fpgnn_model"
printf 'GRLFPGN1' > "$OUT/fpgnn_model/magic-only"
if [ -x "$BUILD/replay_fpgnn_model" ]; then
    GRL_FUZZ_WRITE_SEED="$OUT/fpgnn_model/er34-h4" "$BUILD/replay_fpgnn_model" \
        "$OUT/fpgnn_model" > /dev/null 2>&1
fi
# a dir model, a masked, damped all+undirected model and a model with node
# pattern attention of the adpa_model harness's digraph (trained by the
# harness), and a file that stops after the magic
mkdir -p "$OUT/adpa_model"
printf 'GRLADPA1' > "$OUT/adpa_model/magic-only"
if [ -x "$BUILD/replay_adpa_model" ]; then
    GRL_FUZZ_WRITE_SEED="$OUT/adpa_model/er34-h4" "$BUILD/replay_adpa_model" \
        "$OUT/adpa_model" > /dev/null 2>&1
fi
du -sh "$OUT"; for d in "$OUT"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) files"; done
