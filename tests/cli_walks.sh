#!/usr/bin/env bash
# CLI tests of grl walk, grl ppr and grl ppr-index: corpus shape and ids,
# walks follow edges, determinism across thread counts, PPR output order and
# agreement between methods, index files, and errors.
# usage: cli_walks.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

K=$DATA/karate/edges.txt
check "walk" "$GRL" walk "$K" --length 12 --walks-per-node 3 --output "$TMP/k.txt"
check "walk lines" test "$(wc -l < "$TMP/k.txt")" -eq $((34 * 3))
check "walk length" bash -c "awk 'NF != 12 { bad = 1 } END { exit bad }' '$TMP/k.txt'"
# every consecutive pair is an edge of the (undirected) karate graph
follows_edges() {
    awk 'NR == FNR { e[$1 " " $2] = 1; e[$2 " " $1] = 1; next }
         { for (i = 2; i <= NF; i++) if (!(($(i-1) " " $i) in e)) bad = 1 }
         END { exit bad }' "$1" "$2"
}
check "walks follow edges" follows_edges "$K" "$TMP/k.txt"
check "first walk starts at node 0" test "$(head -1 "$TMP/k.txt" | cut -d' ' -f1)" = "0"
check "stdout" bash -c "'$GRL' walk '$K' --length 4 --walks-per-node 1 | wc -l | grep -qx 34"

C=$DATA/ca-grqc/CA-GrQc.txt
check "snap ids" "$GRL" walk "$C" --length 10 --walks-per-node 1 --threads 1 --output "$TMP/c1.txt"
check "ids are the file's" bash -c "awk 'NR == FNR { id[\$1] = 1; next } { for (i = 1; i <= NF; i++) if (!(\$i in id)) bad = 1 } END { exit bad }' <(grep -v '^#' '$C') '$TMP/c1.txt'"
check "snap walks follow edges" follows_edges <(grep -v '^#' "$C") "$TMP/c1.txt"
check "threads 2" "$GRL" walk "$C" --length 10 --walks-per-node 1 --threads 2 --output "$TMP/c2.txt"
check "same walks 1 vs 2 threads" cmp -s "$TMP/c1.txt" "$TMP/c2.txt"
for kind in "--p 0.25 --q 4" "--srrw-alpha 1" "--restart 0.3"; do
    check "$kind 1 thread" "$GRL" walk "$C" --length 10 $kind --threads 1 --output "$TMP/x1.txt"
    check "$kind 2 threads" "$GRL" walk "$C" --length 10 $kind --threads 2 --output "$TMP/x2.txt"
    check "$kind same bits" cmp -s "$TMP/x1.txt" "$TMP/x2.txt"
done
check "other seed differs" bash -c "'$GRL' walk '$C' --length 10 --walks-per-node 1 --seed 9 --output '$TMP/c3.txt' && ! cmp -s '$TMP/c1.txt' '$TMP/c3.txt'"

E=$DATA/email-eu-core/email-Eu-core.txt
check "ppr exact" "$GRL" ppr "$E" --directed --source 0,2 --top 20 --output "$TMP/p.txt"
check "ppr lines" test "$(wc -l < "$TMP/p.txt")" -eq 40
check "ppr sorted per source" bash -c "awk 'NR > 1 && \$1 == prev && \$3 > last { bad = 1 } { prev = \$1; last = \$3 } END { exit bad }' '$TMP/p.txt'"
check "ppr source first" test "$(head -1 "$TMP/p.txt" | cut -d' ' -f1-2)" = "0 0"
printf '# sources\n0\n\n2\n' > "$TMP/src.txt"
check "sources file" bash -c "'$GRL' ppr '$E' --directed --sources-file '$TMP/src.txt' --top 20 | cmp -s - '$TMP/p.txt'"
check "ppr-index build" "$GRL" ppr-index build "$E" --directed --walks 100 --seed 3 --output "$TMP/e.idx"
check "index header" bash -c "head -c 8 '$TMP/e.idx' | grep -q GRLPPRIX"
# every method's top-5 for source 0 shares at least 4 nodes with exact's
# (mc without an index, 200k walks from the source)
"$GRL" ppr "$E" --directed --source 0 --top 5 | cut -d' ' -f2 | sort > "$TMP/exact5"
for m in push mc powerwalk fora powerpush speedppr; do
    extra="--walks 200000"
    [ $m = powerwalk ] && extra="--index $TMP/e.idx"
    check "ppr $m" "$GRL" ppr "$E" --directed --source 0 --top 5 --method $m $extra --output "$TMP/$m.txt"
    check "$m agrees with exact" test "$(cut -d' ' -f2 "$TMP/$m.txt" | sort | comm -12 - "$TMP/exact5" | wc -l)" -ge 4
done
check "ppr threads" bash -c "'$GRL' ppr '$E' --directed --source 0,5,9 --method fora --threads 1 > '$TMP/f1' && '$GRL' ppr '$E' --directed --source 0,5,9 --method fora --threads 2 | cmp -s - '$TMP/f1'"
check "speedppr threads" bash -c "'$GRL' ppr '$E' --directed --source 0,5,9 --method speedppr --threads 1 > '$TMP/sp1' && '$GRL' ppr '$E' --directed --source 0,5,9 --method speedppr --threads 2 | cmp -s - '$TMP/sp1'"
check "powerpush threads" bash -c "'$GRL' ppr '$E' --directed --source 0,5,9 --method powerpush --threads 1 > '$TMP/pp1' && '$GRL' ppr '$E' --directed --source 0,5,9 --method powerpush --threads 2 | cmp -s - '$TMP/pp1'"
check "powerwalk threads" bash -c "'$GRL' ppr '$E' --directed --source 0,5,9 --method powerwalk --index '$TMP/e.idx' --threads 1 > '$TMP/w1' && '$GRL' ppr '$E' --directed --source 0,5,9 --method powerwalk --index '$TMP/e.idx' --threads 2 | cmp -s - '$TMP/w1'"
check "powerwalk fixed rounds differ" bash -c "'$GRL' ppr '$E' --directed --source 0,5,9 --method powerwalk --index '$TMP/e.idx' --residual 0 --rounds 3 > '$TMP/w3' && ! cmp -s '$TMP/w3' '$TMP/w1'"
check "mc reads the index" "$GRL" ppr "$E" --directed --source 0 --top 5 --method mc --index "$TMP/e.idx" --output "$TMP/mci.txt"
check "help" bash -c "'$GRL' ppr --help | grep -q 'usage: grl ppr' && '$GRL' ppr --help | grep -q 'residual' && '$GRL' walk --help | grep -q 'usage: grl walk' && '$GRL' ppr-index --help | grep -q 'usage: grl ppr-index'"

check "bad p" expect_error "--p: expected a positive number" walk "$K" --p 0
check "srrw directed" expect_error "needs an undirected graph" walk "$E" --directed --srrw-alpha 1
check "bad length" expect_error "--length: expected an integer >= 1" walk "$K" --length 0
check "unknown source" expect_error "node '99999' is not in the graph" ppr "$K" --source 99999
check "no source" expect_error "give the sources" ppr "$K"
check "bad method" expect_error "--method: unknown PPR method 'magic' (expected exact, push" ppr "$K" --source 0 --method magic
check "powerwalk needs index" expect_error "needs --index" ppr "$K" --source 0 --method powerwalk
check "index of another graph" expect_error "rebuild it for this graph" ppr "$K" --source 0 --method powerwalk --index "$TMP/e.idx"
check "index of another alpha" expect_error "alpha = 0.15 but the query uses alpha = 0.3" ppr "$E" --directed --source 0 --method powerwalk --alpha 0.3 --index "$TMP/e.idx"
head -c 1000 "$TMP/e.idx" > "$TMP/short.idx"
check "truncated index" expect_error "truncated PPR index" ppr "$E" --directed --source 0 --method powerwalk --index "$TMP/short.idx"
check "not an index" expect_error "not a grl PPR index" ppr "$E" --directed --source 0 --method mc --index "$K"
check "bad residual" expect_error "--residual: expected a non-negative number, got '-1'" ppr "$E" --directed --source 0 --method powerwalk --index "$TMP/e.idx" --residual -1
check "bad alpha" expect_error "--alpha: expected a number in (0, 1), got '1'" ppr "$K" --source 0 --alpha 1
check "index needs output" expect_error "--output IDX is required" ppr-index build "$K"
check "ppr-index subcommand" expect_error "usage: grl ppr-index build" ppr-index make "$K"

finish
