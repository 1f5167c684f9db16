#!/usr/bin/env bash
# CLI tests of grl eval nodeclf: the report's format, ids beside the .npy,
# thread-independent results, help, and the error contract (exit code, one
# 'grl: error:' line naming the problem). The test embeddings are written
# with python3's standard library only.
# usage: cli_eval.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"


# 200 nodes x 4 Gaussian dimensions; multi-label labels from the signs of the
# first two (a: x0 > 0, b: x1 > 0, c: neither); the same rows again as s.npy
# with string ids in s.ids and single labels x / y
python3 - "$TMP" <<'EOF'
import random, struct, sys
tmp = sys.argv[1]
rng = random.Random(5)
n, d = 200, 4
rows = [[rng.gauss(0, 1) for _ in range(d)] for _ in range(n)]

def save_npy(path, rows):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (
        len(rows), len(rows[0]))
    header += ' ' * ((64 - (10 + len(header) + 1) % 64) % 64) + '\n'
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)))
        f.write(header.encode('latin1'))
        for r in rows:
            f.write(struct.pack('<%df' % len(r), *r))

save_npy(tmp + '/e.npy', rows)
with open(tmp + '/labels.txt', 'w') as f:
    f.write('# node label\n')
    for i, r in enumerate(rows):
        if r[0] > 0: f.write('%d a\n' % i)
        if r[1] > 0: f.write('%d b\n' % i)
        if r[0] <= 0 and r[1] <= 0: f.write('%d c\n' % i)
save_npy(tmp + '/s.npy', rows)
with open(tmp + '/s.ids', 'w') as f:
    for i in range(n): f.write('n%d\n' % i)
with open(tmp + '/s_labels.txt', 'w') as f:
    for i, r in enumerate(rows): f.write('n%d %s\n' % (i, 'x' if r[0] > 0 else 'y'))
EOF

# the report
"$GRL" eval nodeclf --embedding "$TMP/e.npy" --labels "$TMP/labels.txt" > "$TMP/out" 2> "$TMP/err"
check "exit 0" test $? -eq 0
check "rows" contains "$TMP/out" "embedding           200 rows x 4 dimensions"
check "labelled" contains "$TMP/out" "labelled nodes      200"
check "labels" contains "$TMP/out" "labels              3"
check "train size" contains "$TMP/out" "train size          20 (fraction 0.1), test 180, 5 repeats"
check "micro line" matches "$TMP/out" '^Micro-F1 [01]\.[0-9]{4} ± [01]\.[0-9]{4}$'
check "macro line" matches "$TMP/out" '^Macro-F1 [01]\.[0-9]{4} ± [01]\.[0-9]{4}$'
check "six lines" test "$(wc -l < "$TMP/out")" -eq 6
check "quiet stderr" test ! -s "$TMP/err"

# labels are linear in the features: near perfect with half the nodes to train on
"$GRL" eval nodeclf --embedding "$TMP/e.npy" --labels "$TMP/labels.txt" \
    --train-fraction 0.5 --C 100 --repeats 3 --seed 9 > "$TMP/half"
check "half" contains "$TMP/half" "train size          100 (fraction 0.5), test 100, 3 repeats"
check "linear labels learnt" awk '/^Micro-F1/ { exit !($2 > 0.9) }' "$TMP/half"

# the thread count does not change the result; the seed does
for t in 1 2; do
    "$GRL" eval nodeclf --embedding "$TMP/e.npy" --labels "$TMP/labels.txt" \
        --repeats 4 --seed 3 --threads $t > "$TMP/t$t"
done
check "threads 1 = 2" cmp "$TMP/t1" "$TMP/t2"
"$GRL" eval nodeclf --embedding "$TMP/e.npy" --labels "$TMP/labels.txt" \
    --repeats 4 --seed 4 > "$TMP/t4"
check "seed changes splits" bash -c "! cmp -s '$TMP/t1' '$TMP/t4'"

# string ids: s.ids beside s.npy is found, or named with --ids
"$GRL" eval nodeclf --embedding "$TMP/s.npy" --labels "$TMP/s_labels.txt" > "$TMP/s.out"
check "ids beside" contains "$TMP/s.out" "ids from $TMP/s.ids"
check "ids labels" contains "$TMP/s.out" "labels              2"
cp "$TMP/s.ids" "$TMP/other.ids"
cp "$TMP/s.npy" "$TMP/t.npy"
"$GRL" eval nodeclf --embedding "$TMP/t.npy" --labels "$TMP/s_labels.txt" \
    --ids "$TMP/other.ids" > "$TMP/t.out"
check "explicit ids" contains "$TMP/t.out" "ids from $TMP/other.ids"
check "same result" diff <(tail -n +2 "$TMP/s.out") <(tail -n +2 "$TMP/t.out")

# help
check "eval --help" bash -c "'$GRL' eval --help | grep -q 'usage: grl eval nodeclf'"
check "nodeclf --help" bash -c "'$GRL' eval nodeclf --help | grep -q -- '--train-fraction'"

# errors: non-zero exit, one 'grl: error:' line naming the problem
E=(eval nodeclf --embedding "$TMP/e.npy")
check "missing labels file" expect_error "$TMP/none.txt: No such file" "${E[@]}" --labels "$TMP/none.txt"
printf '0 a\n999 b\n' > "$TMP/unknown.txt"
check "unknown node" expect_error "$TMP/unknown.txt:2: node '999' is not a row of the embedding" \
    "${E[@]}" --labels "$TMP/unknown.txt" --missing error
printf 'n0 x\nzz y\n' > "$TMP/unknown_s.txt"
check "unknown string node" expect_error "$TMP/unknown_s.txt:2: node 'zz' is not in $TMP/s.ids" \
    eval nodeclf --embedding "$TMP/s.npy" --labels "$TMP/unknown_s.txt" --missing error
printf '0 a\n1\n' > "$TMP/short.txt"
check "malformed line" expect_error "$TMP/short.txt:2: expected \`node label\`, got only '1'" \
    "${E[@]}" --labels "$TMP/short.txt"
check "bad fraction" expect_error "--train-fraction: expected a number in (0, 1), got '1.5'" \
    "${E[@]}" --labels "$TMP/labels.txt" --train-fraction 1.5
check "bad fraction text" expect_error "--train-fraction: expected a number in (0, 1), got 'x'" \
    "${E[@]}" --labels "$TMP/labels.txt" --train-fraction x
check "tiny fraction" expect_error "leaves 0 for training" \
    "${E[@]}" --labels "$TMP/labels.txt" --train-fraction 0.001
check "bad C" expect_error "--C: expected a positive number, got '0'" \
    "${E[@]}" --labels "$TMP/labels.txt" --C 0
check "bad repeats" expect_error "--repeats: expected an integer >= 1, got '0'" \
    "${E[@]}" --labels "$TMP/labels.txt" --repeats 0
printf 'a\nb\n' > "$TMP/few.ids"
check "ids count" expect_error "$TMP/few.ids has 2 ids but the embedding has 200 rows" \
    "${E[@]}" --labels "$TMP/labels.txt" --ids "$TMP/few.ids"
check "no labels option" expect_error "needs --labels" "${E[@]}"
check "no embedding option" expect_error "needs --embedding" eval nodeclf --labels "$TMP/labels.txt"
check "missing embedding" expect_error "$TMP/none.npy: No such file" \
    eval nodeclf --embedding "$TMP/none.npy" --labels "$TMP/labels.txt"
check "not npy" expect_error "not a NumPy .npy file" \
    eval nodeclf --embedding "$TMP/labels.txt" --labels "$TMP/labels.txt"
check "no evaluation" expect_error "grl eval needs an evaluation" eval
check "unknown evaluation" expect_error "unknown evaluation 'linkpred'" eval linkpred

finish
