#!/usr/bin/env bash
# CLI over partition directories: `grl partition --output-dir`, then
# `mpirun -np K grl fastrp DIR` (the same .npy and .ids bytes as one
# process), `grl walk DIR` (the ranks' files concatenated are the
# single-process corpus), `grl ppr DIR` (the same pairs, scores within
# 1e-12) and `grl ppr-index build DIR` with `grl ppr DIR --method powerwalk`
# (one process's top-100 in its order, scores within 1e-12), on 1, 2 and 4
# ranks; and the errors.
# usage: test_mpi_cli.sh GRL_BINARY DATA_DIR MPIRUN...
source "$(dirname "$0")/clilib.sh" "$1" "$2"
shift 2
MPIRUN=("$@")
# CI runs as root: Open MPI refuses it unless allowed explicitly
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1

C=$DATA/ca-grqc/CA-GrQc.txt
E=$DATA/email-eu-core/email-Eu-core.txt
check "fastrp reference" "$GRL" fastrp "$C" --dim 16 --beta -0.3 --seed 3 --output "$TMP/ref.npy"
check "fastrp directed reference" "$GRL" fastrp "$E" --directed --propagate in --dim 8 --output "$TMP/dref.npy"
check "walk reference" "$GRL" walk "$C" --length 10 --walks-per-node 2 --restart 0.1 --output "$TMP/ref.walks"
check "ppr reference" "$GRL" ppr "$E" --directed --source 0,7,1004 --top 2000 --output "$TMP/ref.ppr"
check "ppr reference ids" "$GRL" ppr "$C" --source 13,0021012 --top 6000 --dangling uniform --output "$TMP/refc.ppr"
check "ppr-index reference" "$GRL" ppr-index build "$E" --directed --seed 5 --walks 50 --output "$TMP/ref.idx"
check "powerwalk reference" "$GRL" ppr "$E" --directed --method powerwalk --index "$TMP/ref.idx" \
    --source 0,7,1004 --output "$TMP/refpw.ppr"
# same_order A B: the same (source, node) pairs in the same order
same_order() { cmp <(cut -d' ' -f1,2 "$1") <(cut -d' ' -f1,2 "$2"); }
# same_ppr A B: the same (source, node) pairs, scores within 1e-12
same_ppr() {
    [ "$(wc -l < "$1")" -eq "$(wc -l < "$2")" ] || { echo "  line counts differ"; return 1; }
    paste <(sort -k1,1 -k2,2 "$1") <(sort -k1,1 -k2,2 "$2") | awk '
        $1 != $4 || $2 != $5 { print "  pair differs: " $0; bad = 1; exit }
        { d = $3 - $6; if (d < 0) d = -d; if (d > 1e-12) { print "  score differs: " $0; bad = 1; exit } }
        END { exit bad }'
}
for k in 1 2 4; do
    check "partition $k" "$GRL" partition "$C" --parts $k --output-dir "$TMP/c$k"
    check "manifest $k" test -s "$TMP/c$k/manifest.grlm"
    check "part files $k" test "$(ls "$TMP/c$k"/part-*.grlp | wc -l)" -eq $k
    check "fastrp on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" fastrp "$TMP/c$k" --dim 16 \
        --beta -0.3 --seed 3 --output "$TMP/d$k.npy" --quiet
    check "same embedding bytes, $k ranks" cmp "$TMP/ref.npy" "$TMP/d$k.npy"
    check "same ids, $k ranks" cmp "$TMP/ref.ids" "$TMP/d$k.ids"
    check "walks on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" walk "$TMP/c$k" --length 10 \
        --walks-per-node 2 --restart 0.1 --output "$TMP/w$k"
    check "one corpus file per rank, $k" test "$(ls "$TMP/w$k".* | wc -l)" -eq $k
    check "same corpus, $k ranks" bash -c "cat '$TMP/w$k'.* | cmp - '$TMP/ref.walks'"
    check "partition directed $k" "$GRL" partition "$E" --directed --parts $k --output-dir "$TMP/e$k"
    check "directed fastrp on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" fastrp "$TMP/e$k" \
        --propagate in --dim 8 --output "$TMP/de$k.npy"
    check "same directed embedding, $k ranks" cmp "$TMP/dref.npy" "$TMP/de$k.npy"
    check "no stale ids file, $k" test ! -e "$TMP/de$k.ids"
    check "ppr on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" ppr "$TMP/e$k" --source 0,7,1004 \
        --top 2000 --output "$TMP/d$k.ppr"
    check "same ppr, $k ranks" same_ppr "$TMP/ref.ppr" "$TMP/d$k.ppr"
    check "ppr with ids on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" ppr "$TMP/c$k" \
        --source 13,0021012 --top 6000 --dangling uniform --output "$TMP/dc$k.ppr"
    check "same ppr with ids, $k ranks" same_ppr "$TMP/refc.ppr" "$TMP/dc$k.ppr"
    printf '# the sources\n13\n\n0021012 ignored\n' > "$TMP/sources"
    check "ppr with a sources file on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" ppr "$TMP/c$k" \
        --sources-file "$TMP/sources" --top 6000 --dangling uniform --output "$TMP/df$k.ppr"
    check "same ppr from a sources file, $k ranks" same_ppr "$TMP/refc.ppr" "$TMP/df$k.ppr"
    check "ppr-index on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" ppr-index build "$TMP/e$k" \
        --seed 5 --walks 50 --output "$TMP/i$k" --quiet
    check "one index file per rank, $k" test "$(ls "$TMP/i$k".* | wc -l)" -eq $k
    check "powerwalk on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" ppr "$TMP/e$k" --method powerwalk \
        --index "$TMP/i$k" --source 0,7,1004 --output "$TMP/pw$k.ppr"
    check "same powerwalk top-100, $k ranks" same_order "$TMP/refpw.ppr" "$TMP/pw$k.ppr"
    check "same powerwalk scores, $k ranks" same_ppr "$TMP/refpw.ppr" "$TMP/pw$k.ppr"
    check "push on $k ranks" "${MPIRUN[@]}" -np $k "$GRL" ppr "$TMP/c$k" --method push \
        --r-max 1e-6 --source 13,0021012 --output "$TMP/push$k.ppr"
    check "same push on $k ranks as on one" cmp "$TMP/push1.ppr" "$TMP/push$k.ppr"
done

# mpi_fails NEEDLE ARGS...: mpirun ARGS fails and its stderr holds NEEDLE
mpi_fails() {
    local needle=$1; shift
    if "${MPIRUN[@]}" "$@" > /dev/null 2> "$TMP/err"; then echo "  exited 0: $*"; return 1; fi
    contains "$TMP/err" "$needle"
}
# errors: another rank count (every rank fails, rank 0 says why), a
# directory without a manifest (the loader's error), options a partition
# cannot take
check "wrong rank count" mpi_fails "holds 4 parts: run it on as many ranks, not 2" \
    -np 2 "$GRL" fastrp "$TMP/c4" --output "$TMP/x.npy"
mkdir "$TMP/empty"
check "no manifest: not a partition" expect_error "is a directory" fastrp "$TMP/empty" --output "$TMP/x.npy"
check "node2vec refused" mpi_fails "first order" -np 1 "$GRL" walk "$TMP/c1" --p 2 --output "$TMP/w"
check "ppr method refused" expect_error "exact, push or powerwalk method only" ppr "$TMP/c1" --source 13 --method fora
check "powerwalk needs an index" expect_error "needs --index" ppr "$TMP/e1" --source 0 --method powerwalk
check "index of another partition" mpi_fails "not part 0 of 2" -np 2 "$GRL" ppr "$TMP/e2" \
    --method powerwalk --index "$TMP/i4" --source 0
check "index of another alpha" mpi_fails "alpha = 0.15 but the query uses alpha = 0.3" -np 1 \
    "$GRL" ppr "$TMP/e1" --method powerwalk --index "$TMP/i1" --source 0 --alpha 0.3
printf 'not an index' > "$TMP/bad.00000"
check "not an index file" mpi_fails "not a grl partitioned PPR index file" -np 1 "$GRL" ppr "$TMP/e1" \
    --method powerwalk --index "$TMP/bad" --source 0
check "ppr unknown source" mpi_fails "node '99999999' is not in the graph" -np 1 "$GRL" ppr "$TMP/c1" --source 99999999
echo x13 > "$TMP/unknown"
check "ppr unknown source in a file" mpi_fails "node 'x13' is not in the graph" -np 2 "$GRL" ppr "$TMP/c2" \
    --source 13 --sources-file "$TMP/unknown"
check "ppr sources file missing" mpi_fails "$TMP/none': No such file" -np 2 "$GRL" ppr "$TMP/c2" \
    --sources-file "$TMP/none"
cp -r "$TMP/c2" "$TMP/short"
head -n 100 "$TMP/c2/ids.txt" > "$TMP/short/ids.txt"
check "ids file short of the nodes" mpi_fails "ids.txt: 100 ids for 5242 nodes" -np 2 "$GRL" ppr \
    "$TMP/short" --source 13
check "text output refused" expect_error "writes .npy" fastrp "$TMP/c1" --output "$TMP/x.txt"
check "walk needs output" expect_error "needs --output" walk "$TMP/c1"
check "output and output-dir" expect_error "exclude each other" partition "$C" --parts 2 \
    --output "$TMP/p.txt" --output-dir "$TMP/p"
finish
