#!/usr/bin/env bash
# Install a build into a temporary prefix and check what a user gets there:
# `man -l` renders the installed grl(1) without warnings, and the installed
# bash completion completes grl's commands.
# usage: install_man.sh BUILD_DIR
set -euo pipefail
BUILD=${1:-build}
PREFIX=$(mktemp -d)
trap 'rm -rf "$PREFIX"' EXIT
cmake --install "$BUILD" --prefix "$PREFIX" > /dev/null
PAGE=$PREFIX/share/man/man1/grl.1
COMPLETION=$PREFIX/share/bash-completion/completions/grl
MANWIDTH=80 man --warnings -l "$PAGE" > "$PREFIX/page.txt" 2> "$PREFIX/man.err"
if [ -s "$PREFIX/man.err" ]; then cat "$PREFIX/man.err"; exit 1; fi
grep -q '^NAME' "$PREFIX/page.txt"
grep -q 'grl eval nodeclf' "$PREFIX/page.txt"
offered=$(bash -c 'source "$1"; COMP_WORDS=(grl fastrp --num); COMP_CWORD=2; _grl
                   echo "${COMPREPLY[*]}"' _ "$COMPLETION")
[ "$offered" = "--num-nodes" ] || { echo "installed completion offered '$offered'"; exit 1; }
echo "installed man page and bash completion: ok"
