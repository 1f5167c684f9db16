#!/usr/bin/env bash
# CLI tests of grl's binary files (.grl graphs, PPR indexes): a damaged or
# truncated file ends in one clear error line, never a signal; the same
# bytes with 1 and 2 threads; --walks whose product with n overflows.
# usage: cli_binary.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"

E=$DATA/email-eu-core/email-Eu-core.txt
check "convert" "$GRL" convert "$E" --directed --output "$TMP/e.grl"
check "info of .grl" bash -c "'$GRL' info '$TMP/e.grl' > /dev/null"
# a pipe cannot be read at offsets: read whole, then as a file (BlogCatalog:
# 11 blocks, read by 2 threads)
B=$DATA/blogcatalog/edges.txt
check "convert BlogCatalog" "$GRL" convert "$B" --output "$TMP/b.grl"
for g in e b; do
    check "info of $g.grl through a pipe" bash -c "'$GRL' info '$TMP/$g.grl' |
        tail -n +2 > '$TMP/$g.info' && cat '$TMP/$g.grl' |
        '$GRL' info --format grl --threads 2 /dev/stdin | tail -n +2 |
        cmp - '$TMP/$g.info'"
done
check "truncated .grl through a pipe" bash -c "head -c 5000 '$TMP/e.grl' |
    '$GRL' info --format grl /dev/stdin 2>&1 | grep -q 'truncated graph file'"
for t in 1 2; do
    check "index, $t threads" "$GRL" ppr-index build "$TMP/e.grl" --walks 20 \
        --threads $t --output "$TMP/e$t.idx"
    check "convert, $t threads" "$GRL" convert "$E" --directed --threads $t \
        --output "$TMP/e$t.grl"
done
check "same index bytes for 1 and 2 threads" cmp "$TMP/e1.idx" "$TMP/e2.idx"
check "same .grl bytes for 1 and 2 threads" cmp "$TMP/e1.grl" "$TMP/e2.grl"

# one byte changed in the middle of each file
flip() { # flip IN OUT: OUT is IN with its middle byte inverted
    local size=$(stat -c %s "$1") mid
    mid=$((size / 2))
    cp "$1" "$2"
    printf "$(printf '\\%03o' $(( $(od -An -tu1 -j $mid -N1 "$1") ^ 255 )))" |
        dd of="$2" bs=1 seek=$mid conv=notrunc status=none
}
flip "$TMP/e.grl" "$TMP/bad.grl"
check "damaged .grl" expect_error "checksum mismatch" info "$TMP/bad.grl"
flip "$TMP/e1.idx" "$TMP/bad.idx"
check "damaged index" expect_error "checksum mismatch" ppr "$TMP/e.grl" \
    --source 0 --method powerwalk --index "$TMP/bad.idx"
head -c 100 "$TMP/e.grl" > "$TMP/short.grl"
check "truncated .grl" expect_error "truncated graph file" info "$TMP/short.grl"
check "huge --walks refused by the CLI" expect_error "--walks: expected an integer in 1..1000000000000" ppr-index build "$TMP/e.grl" \
    --walks 2305843009213693952 --output "$TMP/x.idx"
check "no index written" test ! -e "$TMP/x.idx"
finish
