# clilib.sh — shared by the tests/cli_*.sh scripts; source it with the
# script's arguments: source "$(dirname "$0")/clilib.sh" GRL_BINARY DATA_DIR
# It sets GRL, DATA and a temporary TMP (removed on exit) and provides the
# checks below; a script ends with `finish`.
set -u
GRL=$1
DATA=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

check() { # check NAME COMMAND...: the command must succeed
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
contains() { grep -qF -- "$2" "$1" || { echo "  '$2' not in $1:"; cat "$1"; return 1; }; }
matches() { grep -qE -- "$2" "$1" || { echo "  /$2/ not in $1:"; cat "$1"; return 1; }; }

# expect_error NEEDLE ARGS...: grl ARGS fails with exactly one line on
# stderr, 'grl: error: ...', containing NEEDLE
expect_error() {
    local needle=$1; shift
    if "$GRL" "$@" > /dev/null 2> "$TMP/err"; then echo "  exited 0: $*"; return 1; fi
    [ "$(wc -l < "$TMP/err")" -eq 1 ] || { echo "  not one line:"; cat "$TMP/err"; return 1; }
    grep -q '^grl: error: ' "$TMP/err" || { echo "  no 'grl: error:' prefix"; cat "$TMP/err"; return 1; }
    contains "$TMP/err" "$needle"
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
