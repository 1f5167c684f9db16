#!/usr/bin/env bash
# CLI tests of grl linkpred: score, topk and eval outputs, the Cora AUC
# range, determinism across thread counts, and errors.
# usage: cli_linkpred.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

K=$DATA/karate/edges.txt
C=$DATA/ca-grqc/CA-GrQc.txt
check "help" bash -c "'$GRL' linkpred --help | grep -q 'usage: grl linkpred score|topk|eval|tc'"
check "score help" bash -c "'$GRL' linkpred score --help | grep -q -- '--pairs P'"
check "topk help" bash -c "'$GRL' linkpred topk --help | grep -q -- '--best N'"
check "eval help" bash -c "'$GRL' linkpred eval --help | grep -q -- '--keep-connected'"

# karate: nodes 0 and 1 share 7 neighbours (2 3 7 13 17 19 21), 0 and 33 share 4
printf '# pairs\n0 1\n0 33\n0 1\n' > "$TMP/pairs.txt"
check "score cn" "$GRL" linkpred score "$K" --method cn --pairs "$TMP/pairs.txt" --output "$TMP/cn.txt"
check "score lines" test "$(cat "$TMP/cn.txt")" = "$(printf '0 1 7\n0 33 4\n0 1 7')"
check "score jaccard" bash -c "'$GRL' linkpred score '$K' --method jaccard --pairs '$TMP/pairs.txt' | head -1 | grep -qx '0 1 0.3888888888888889'"
check "score stdout" test "$("$GRL" linkpred score "$K" --method pa --pairs "$TMP/pairs.txt" | wc -l)" -eq 3

# CA-GrQc (sparse SNAP ids): the best 5 new links by resource allocation
check "best 5" "$GRL" linkpred topk "$C" --method ra --best 5 --output "$TMP/best.txt"
check "best 5 lines" test "$(wc -l < "$TMP/best.txt")" -eq 5
check "best pair" test "$(head -1 "$TMP/best.txt" | cut -d' ' -f1,2)" = "23114 23146"
check "topk 1 thread" "$GRL" linkpred topk "$C" --method ra --k 3 --threads 1 --output "$TMP/t1.txt"
check "topk 2 threads" "$GRL" linkpred topk "$C" --method ra --k 3 --threads 2 --block-entries 5000 --output "$TMP/t2.txt"
check "topk same bytes for 1 and 2 threads, any block size" cmp "$TMP/t1.txt" "$TMP/t2.txt"
check "topk at most k per node" bash -c "cut -d' ' -f1 '$TMP/t1.txt' | uniq -c | awk '\$1 > 3 { bad = 1 } END { exit bad }'"
printf '3466\n23114\n' > "$TMP/nodes.txt"
check "topk nodes" "$GRL" linkpred topk "$C" --method ra --k 3 --sources-file "$TMP/nodes.txt" --output "$TMP/sub.txt"
check "topk nodes = rows of all" bash -c "grep -E '^(3466|23114) ' '$TMP/t1.txt' | diff - '$TMP/sub.txt'"
check "topk no existing link" bash -c "awk '{ print \$1, \$2 }' '$TMP/sub.txt' | grep -qxvF -f '$C'"

# Cora (Planetoid), 85/5/10: CN, AA and RA AUC in the published 0.70-0.75
Y=$DATA/cora_planetoid/edges.txt
check "eval" bash -c "'$GRL' linkpred eval '$Y' --method cn,aa,ra --test-fraction 0.1 --valid-fraction 0.05 --seed 1 --threads 1 > '$TMP/e1.txt'"
check "eval rows" test "$(grep -cE '^(cn|aa|ra) ' "$TMP/e1.txt")" -eq 3
check "eval AUC in 0.70..0.75" awk '/^(cn|aa|ra) / { if ($2 < 0.70 || $2 > 0.75) bad = 1; n++ } END { exit bad || n != 3 }' "$TMP/e1.txt"
check "eval split sizes" grep -q 'train 4486, validation 264, test 528 edges' "$TMP/e1.txt"
"$GRL" linkpred eval "$Y" --method cn,aa,ra --seed 1 --threads 2 > "$TMP/e2.txt"
check "eval same for 1 and 2 threads" cmp "$TMP/e1.txt" "$TMP/e2.txt"
check "eval keep-connected" bash -c "'$GRL' linkpred eval '$Y' --method katz --keep-connected --negatives 2000 | grep -q '2000 negatives sampled'"
grep -v '^#' "$Y" | awk 'NR <= 50 { print $1, ($2 + 7) % 2708 }' > "$TMP/neg.txt"
check "eval negatives file" bash -c "'$GRL' linkpred eval '$Y' --method ra --negatives-file '$TMP/neg.txt' | grep -q '50 negatives from file'"

# topological concentration: one line per node; karate node 0's TC^1 is
# the mean Jaccard index with its 16 neighbours, from grl linkpred score
check "tc" "$GRL" linkpred tc "$K" --output "$TMP/tc.txt"
check "tc lines" test "$(wc -l < "$TMP/tc.txt")" -eq 34
awk '$1 == 0 || $2 == 0 { print ($1 == 0 ? $1 " " $2 : $2 " " $1) }' "$K" > "$TMP/nb0.txt"
check "tc = mean jaccard" bash -c "'$GRL' linkpred score '$K' --method jaccard --pairs '$TMP/nb0.txt' | awk '{ s += \$3; n++ } END { printf \"%.12f\\n\", s / n }' > '$TMP/j0'; awk '\$1 == 0 { printf \"%.12f\\n\", \$2 }' '$TMP/tc.txt' | cmp - '$TMP/j0'"
check "tc hops 2" bash -c "'$GRL' linkpred tc '$K' --hops 2 --beta 0.5 | wc -l | grep -qx 34"

check "no command" expect_error "needs a command" linkpred
check "bad command" expect_error "unknown linkpred command 'predict'" linkpred predict "$K"
check "bad method" expect_error "unknown link predictor 'cosine'" linkpred score "$K" --method cosine --pairs "$TMP/pairs.txt"
check "bad method list" expect_error "unknown link predictor 'x'" linkpred eval "$K" --method cn,x
check "no pairs" expect_error "needs --pairs" linkpred score "$K"
check "no k" expect_error "needs --k K or --best N" linkpred topk "$K"
printf '0 1\n0 99\n' > "$TMP/badpairs.txt"
check "unknown node" expect_error "badpairs.txt:2: no node with id 99" linkpred score "$K" --pairs "$TMP/badpairs.txt"
check "weighted jaccard" expect_error "jaccard has no weighted variant" linkpred score "$K" --method jaccard --weighted --pairs "$TMP/pairs.txt"
check "bad pattern" expect_error "--pattern: unknown common-neighbour pattern 'sideways' (expected successors" linkpred topk "$K" --k 2 --pattern sideways
check "bad fraction" expect_error "--test-fraction: expected a number in (0, 1)" linkpred eval "$K" --test-fraction 1.5
check "tc hops" expect_error "--hops: expected an integer in 1..3" linkpred tc "$K" --hops 5
check "katz length" expect_error "--katz-length: expected an integer in 1..8" linkpred score "$K" --method katz --katz-length 12 --pairs "$TMP/pairs.txt"

finish
