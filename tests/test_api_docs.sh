#!/usr/bin/env bash
# test_api_docs.sh — every function declared in include/grl/*.h is preceded
# by a comment block that names each of its parameters (igraph's habit; the
# rules are at the top of include/grl/core.h), so no public function lands
# undocumented. A comment may document a group of declarations that follow
# it with nothing else in between (e.g. an enum's _parse and _name).
# Usage: test_api_docs.sh [include/grl directory]
set -euo pipefail
dir=${1:-$(dirname "$0")/../include/grl}
exec python3 - "$dir" <<'EOF'
import glob, re, sys

def blank(m):  # keep offsets and line numbers, drop the text
    return re.sub(r"[^\n]", " ", m.group(0))

def params(plist):
    """Parameter names of a prototype's parameter list."""
    names, depth, cur = [], 0, ""
    for c in plist + ",":
        depth += (c in "([") - (c in ")]")
        if c == "," and depth == 0:
            p = re.sub(r"\[[^\]]*\]", "", cur).strip()
            fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", p)  # function pointer
            name = fp.group(1) if fp else (re.findall(r"\w+", p) or [""])[-1]
            if p not in ("", "void", "..."):
                names.append(name)
            cur = ""
        else:
            cur += c
    return names

DECL = re.compile(r"(?<![\w)])((?:const\s+)?[A-Za-z_][\w\s\*]*?\b(grl_\w+)\s*"
                  r"\(((?:[^;{}()]|\([^()]*\))*)\)\s*;)")
failures, total = [], 0
headers = sorted(glob.glob(sys.argv[1] + "/*.h"))
if not headers:
    sys.exit("no headers in " + sys.argv[1])
for path in headers:
    text = open(path, encoding="utf-8").read()
    comments = [(m.start(), m.end(), m.group(0))
                for m in re.finditer(r"/\*.*?\*/", text, re.S)]
    code = re.sub(r"/\*.*?\*/|//[^\n]*", blank, text, flags=re.S)
    code = re.sub(r"(?m)^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", blank, code)
    code = re.sub(r'extern\s+"C"\s*\{', blank, code)
    # only file scope: blank the bodies of structs, enums and the
    # extern "C" block's closing brace
    flat, depth = [], 0
    for c in code:
        if c == "{": depth += 1
        flat.append(c if depth == 0 or c == "\n" else " ")
        if c == "}": depth = max(depth - 1, 0)
    code = "".join(flat).replace("}", " ")
    decls = [m for m in DECL.finditer(code)
             if not m.group(1).lstrip().startswith("typedef")]
    rest = code
    for m in decls:
        rest = rest[:m.start(1)] + " " * len(m.group(1)) + rest[m.end(1):]
    for m in re.finditer(r"typedef[^;]*;", rest):
        rest = rest[:m.start()] + " " * len(m.group(0)) + rest[m.end():]
    for m in re.finditer(r"\bgrl_\w+\s*\(", rest):
        line = text.count("\n", 0, m.start()) + 1
        failures.append("%s:%d: a declaration this test cannot parse" %
                        (path, line))
    spans = [(m.start(1), m.end(1)) for m in decls]
    for m in decls:
        total += 1
        start, name = m.start(1), m.group(2)
        line = text.count("\n", 0, start) + 1
        before = [c for c in comments if c[1] <= start]
        doc = None
        if before:
            gap = code[before[-1][1]:start]
            for s, e in spans:  # declarations of the same group
                if before[-1][1] <= s and e <= start:
                    gap = gap.replace(code[s:e], "")
            if gap.strip() == "":
                doc = before[-1][2]
        if doc is None:
            failures.append("%s:%d: %s has no comment block right before it"
                            % (path, line, name))
            continue
        missing = [p for p in params(m.group(3))
                   if not re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", doc)]
        if missing:
            failures.append("%s:%d: the comment of %s does not mention %s" %
                            (path, line, name, ", ".join(missing)))
for f in failures:
    print(f)
print("%d functions checked, %d problems" % (total, len(failures)))
sys.exit(1 if failures or total == 0 else 0)
EOF
