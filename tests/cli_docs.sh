#!/usr/bin/env bash
# The generated man page and bash completion (beside the grl binary) against
# what grl itself prints and parses: every command has a section, every
# option --help prints is in the page, the completion offers for each
# command exactly the options of its --help that the command accepts, every
# option of the sources' getopt tables is offered somewhere, and the page
# renders without groff warnings.
# usage: cli_docs.sh GRL_BINARY DATA_DIR
source "$(dirname "$0")/clilib.sh" "$@"
BUILD=$(dirname "$GRL")
PAGE=$BUILD/grl.1
COMPLETION=$BUILD/grl.bash-completion
SRC=$(cd "$(dirname "$0")/.." && pwd)

check "page exists" test -s "$PAGE"
check "completion exists" test -s "$COMPLETION"
MANWIDTH=80 man --warnings -l "$PAGE" > "$TMP/page.txt" 2> "$TMP/man.err"
check "man renders" test -s "$TMP/page.txt"
check "no man warnings" bash -c "! grep . '$TMP/man.err'"

# what the completion offers after the words given (the last one is the word
# being completed)
complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _grl
             printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" grl "$@" | sort
}

# the commands of grl --help, and each one's subcommands from its usage line
commands=$("$GRL" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
check "commands found" test "$(echo "$commands" | wc -l)" -ge 9
check "completion of commands" diff <(printf '%s\n' $commands --help --version | sort) <(complete_words "")
paths=()
for c in $commands; do
    "$GRL" "$c" --help > "$TMP/help"
    subs=$(head -1 "$TMP/help" | sed -n "s/^usage: grl $c \([a-z][a-z|-]*\) .*/\1/p" | tr '|' ' ')
    if head -1 "$TMP/help" | grep -q "^usage: grl $c <command>"; then # listed below
        subs=$(sed -n 's/^  \([a-z][a-z-]*\)\b.*/\1/p' "$TMP/help")
    fi
    if [ -n "$subs" ]; then
        check "completion of $c subcommands" diff <(printf '%s\n' $subs --help | sort) <(complete_words "$c" "")
        for s in $subs; do paths+=("$c $s"); done
    else
        paths+=("$c")
    fi
done

for path in "${paths[@]}"; do
    read -ra words <<< "$path"
    "$GRL" "${words[@]}" --help > "$TMP/help"
    check "man section: grl $path" contains "$TMP/page.txt" "   grl $path"
    # every option named anywhere in --help appears in the page
    grep -oE -- '--[a-zA-Z][a-zA-Z0-9-]*' "$TMP/help" | sort -u > "$TMP/named"
    missing_in_page=$(while read -r o; do grep -qF -- "$o" "$TMP/page.txt" || echo "$o"; done < "$TMP/named")
    check "page lists the options of grl $path" test -z "$missing_in_page"
    [ -z "$missing_in_page" ] || echo "  not in the page: $missing_in_page"
    # of those, the ones this command accepts (getopt does not call them
    # invalid) are exactly what the completion offers
    while read -r o; do
        "$GRL" "${words[@]}" "$o" > /dev/null 2> "$TMP/err" < /dev/null
        grep -q "invalid option" "$TMP/err" || echo "$o"
    done < "$TMP/named" > "$TMP/accepted"
    (cat "$TMP/accepted"; echo --help) | sort -u > "$TMP/expected"
    complete_words "${words[@]}" "--" > "$TMP/offered"
    check "completion of grl $path options" diff "$TMP/expected" "$TMP/offered"
done

# every long option of the sources' getopt tables is offered by some command
for path in "${paths[@]}"; do read -ra words <<< "$path"; complete_words "${words[@]}" "--"; done |
    sort -u > "$TMP/all_offered"
grep -ohE '\{"[a-zA-Z][a-zA-Z0-9-]*", (no|required|optional)_argument' "$SRC"/cli/*.c |
    sed 's/{"\([^"]*\)".*/--\1/' | sort -u > "$TMP/all_parsed"
check "every parsed option is documented" diff <(comm -23 "$TMP/all_parsed" "$TMP/all_offered") /dev/null

# values of options with a fixed set, and file names otherwise
check "values" test "$(complete_words eval nodeclf --missing z)" = "zero"
check "choices" test "$(complete_words fastrp --self-loops "" | tr '\n' ' ')" = "drop keep "
check "choices in the description" test "$(complete_words info --format g | tr '\n' ' ')" = "gml graphml grl "
check "files" test -z "$(complete_words fastrp --output "")"
check "brief example" test "$(complete_words fastrp --d | tr '\n' ' ')" = "--dim --directed --duplicates "

finish
