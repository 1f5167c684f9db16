#!/usr/bin/env bash
# `make install` into temporary prefixes, then the installed Python package
# from a directory outside the source tree (issue 16): it must land where
# Debian's python3 looks for the prefix, load the installed libgrl through
# _libpath.py, and report the version of project(grl VERSION ...).
# usage: tests/install.sh [BUILD_DIR] [DATA_DIR]   (run by .ci/run after make test)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
data=$(cd "${2:-$src/../shared/data}" && pwd)
python=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install.sh: $*" >&2; exit 1; }

version=$(sed -n 's/^project(grl VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || fail "no project(grl VERSION ...) in CMakeLists.txt"

# 1. staged (DESTDIR) install for /usr/local: the package goes to the
#    dist-packages Debian's python3 searches for /usr/local, naming the
#    library's final path
make -s -C "$src" install BUILD="$build" PREFIX=/usr/local DESTDIR="$tmp/stage" >/dev/null
site=$(cd / && env -u PYTHONPATH "$python" -c 'import sys; print(next(p for p in sys.path
    if p.startswith("/usr/local/lib/python3") and p.endswith("dist-packages")))')
[ -f "$tmp/stage$site/grl/__init__.py" ] || fail "grl not in $tmp/stage$site"
grep -qx "LIBRARY = '/usr/local/lib/libgrl.so.0'" "$tmp/stage$site/grl/_libpath.py" ||
    fail "_libpath.py does not name /usr/local/lib/libgrl.so.0"
[ -f "$tmp/stage/usr/local/include/grl/version.h" ] || fail "version.h not installed"

# 2. install into a prefix, then use it from elsewhere with only the
#    prefix's dist-packages on the path (no GRL_LIBRARY, no build tree)
prefix=$tmp/prefix
make -s -C "$src" install BUILD="$build" PREFIX="$prefix" >/dev/null
pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
[ "$(LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/grl" --version)" = "grl $version" ] || fail "grl --version is not $version"
# the installed headers and pkg-config file carry the same version
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion grl)" = "$version" ] || fail "pkg-config grl is not $version"
printf '#include <stdio.h>\n#include <string.h>\n#include <grl.h>\n%s\n' \
    'int main(void) { puts(grl_version()); return strcmp(grl_version(), GRL_VERSION_STRING); }' \
    > "$tmp/v.c"
# shellcheck disable=SC2046 # pkg-config's flags are words
cc -o "$tmp/v" "$tmp/v.c" $(pkg-config --cflags grl) \
    $(pkg-config --libs grl)
[ "$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/v")" = "$version" ] || fail "grl_version() is not $version"
mkdir "$tmp/elsewhere" && cd "$tmp/elsewhere"
env -u GRL_LIBRARY PYTHONPATH="$prefix/lib/python$pyver/dist-packages" "$python" -c "
import grl, grl._lib
assert grl.__version__ == '$version', grl.__version__
assert grl._lib.path == '$prefix/lib/libgrl.so.0', grl._lib.path
assert grl.__file__.startswith('$prefix/'), grl.__file__
with grl.Graph.load('$data/karate/edges.txt') as g:
    assert (g.num_nodes, g.num_edges) == (34, 78)
    nodes, scores = grl.ppr(g, g.index_of(33), top=3)
    assert nodes[0] == g.index_of(33)
print('installed grl', grl.__version__, 'imports from', grl.__file__)
"
