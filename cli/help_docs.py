#!/usr/bin/env python3
"""help_docs.py GRL OUTDIR: write OUTDIR/grl.1 (the man page) and
OUTDIR/grl.bash-completion from the --help text of the built grl binary, so
neither can drift from the options the commands print and parse.

The help text's layout is the contract: a first line `usage: grl CMD ...`
(a lower-case word or `a|b|c` after CMD names subcommands, each with its own
--help); option lines start with two spaces and a dash, their descriptions
continue on deeper-indented lines; a line `heading:` at column 0 starts a
block, and a block printed by several commands (graph input, predictor) is
documented once."""
import re
import subprocess
import sys

OPTION = re.compile(r"--[a-zA-Z][a-zA-Z0-9-]*")


def run_help(grl, words):
    out = subprocess.run([grl] + words + ["--help"], capture_output=True,
                         text=True, check=True)
    return out.stdout.rstrip("\n").split("\n")


def subcommands(lines, words):
    """The subcommands of `grl WORDS`: an a|b|c list (or one lower-case
    word) right after WORDS in the usage line, or for `<command>` there the
    lower-case words that open the help's two-space indented lines."""
    rest = lines[0][len("usage: grl " + " ".join(words)):].split()
    if rest and re.fullmatch(r"[a-z][a-z-]*(\|[a-z][a-z-]*)*", rest[0]):
        return rest[0].split("|")
    if rest and rest[0] == "<command>":
        return [m.group(1) for l in lines[1:] if (m := re.match(r"  ([a-z][a-z-]*)\b", l))]
    return []


CHOICES = re.compile(r"[a-z0-9-]+(\|[a-z0-9-]+)+")


def option_column(line):
    """Split an option line into its names, their value choices and the
    description: `--p P --q Q  text` gives (["--p", "--q"], {}, "text").
    Choices are an a|b|c value (`--self-loops keep|drop`), or an a|b|c list
    opening the description of an option with one value (`--format F
    edgelist|csv|...`)."""
    tokens = line.split()
    names, choices, k, value = [], {}, 0, ""
    while k < len(tokens):
        t = tokens[k]
        if OPTION.fullmatch(t):
            names.append(t)
            value = tokens[k + 1] if k + 1 < len(tokens) else ""
            if value and value != "|" and (value[0].isupper() or "|" in value):
                if CHOICES.fullmatch(value):
                    choices[t] = value.split("|")
                k += 1
            else:
                value = ""
        elif t != "|":
            break
        k += 1
    if len(names) == 1 and value and k < len(tokens) and CHOICES.fullmatch(tokens[k]):
        choices.setdefault(names[0], tokens[k].split("|"))
    return names, choices, " ".join(tokens[k:])


def is_option_line(line):
    return line.startswith("  -") and OPTION.match(line.lstrip())


class Command:
    """One `grl WORDS --help`: usage lines, then blocks (heading, lines)."""

    def __init__(self, words, lines):
        self.words = words
        k = 1
        while k < len(lines) and lines[k].startswith(" "):
            k += 1
        # usage lines without "usage: ", continuation lines kept aligned
        self.usage = [l[len("usage: "):] for l in lines[:k]]
        self.blocks = [(None, [])]
        for line in lines[k:]:
            if re.fullmatch(r"[a-zA-Z][a-zA-Z -]*:", line):
                self.blocks.append((line, []))
            else:
                self.blocks[-1][1].append(line)
        self.options, self.choices = [], {}
        for line in self.usage:  # options the usage line alone names
            self.options += [o for o in OPTION.findall(line) if o not in self.options]
        for _, block in self.blocks:
            for kind, line in classify(block):
                if kind == "option":
                    names, choices, _ = option_column(line)
                    self.options += [n for n in names if n not in self.options]
                    self.choices.update(choices)
        self.options.append("--help")


def classify(lines):
    """(kind, line) for each help line: blank, prose (column 0), option, more
    (an option's description continued, indented 4 or more), or table (other
    indented lines: lists, tables; a table lasts until a blank or column-0
    line, even through lines that look like options)."""
    kind = "blank"
    for line in lines:
        if not line.strip():
            kind = "blank"
        elif not line.startswith(" "):
            kind = "prose"
        elif kind == "table":
            pass
        elif is_option_line(line):
            kind = "option"
        elif kind in ("option", "more") and line.startswith("    "):
            kind = "more"
        else:
            kind = "table"
        yield kind, line


def collect(grl):
    """Every command and subcommand, in `grl --help` order."""
    top = run_help(grl, [])
    names = [m.group(1) for l in top if (m := re.match(r"  ([a-z][a-z-]*)  ", l))]
    commands = []
    for name in names:
        lines = run_help(grl, [name])
        subs = subcommands(lines, [name])
        head = Command([name], lines)
        if not subs:
            commands.append((head, []))
            continue
        children = [Command([name, s], run_help(grl, [name, s])) for s in subs]
        same = len(children) == 1 and children[0].blocks == head.blocks
        commands.append((None if same else head, children))
    return top, commands


# ---- man page ----

# characters of the help text that groff's fonts lack
GLYPHS = {"\u1d40": "^T"}


def roff(text):
    for char, spelling in GLYPHS.items():
        text = text.replace(char, spelling)
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = text.replace("`", "\\(ga").replace("'", "\\(aq")
    return "\\&" + text if text[:1] in (".", "'") else text


def bold_options(text):
    """roff() with the option names in bold."""
    parts = OPTION.split(text)
    names = OPTION.findall(text)
    out = roff(parts[0]) if parts[0] else ""
    for name, part in zip(names, parts[1:]):
        out += "\\fB" + roff(name) + "\\fR" + (roff(part) if part else "")
    return out


def render_lines(lines):
    """Help lines as roff: prose filled, options as tagged paragraphs, tables
    and lists verbatim."""
    out, verbatim = [], False
    for kind, line in classify(lines):
        if (kind == "table") != verbatim:
            verbatim = kind == "table"
            out += [".nf", ".RS 2"] if verbatim else [".RE", ".fi"]
        if kind == "table":
            out.append(roff(line[2:]))
        elif kind == "blank":
            out.append(".PP")
        elif kind == "option":
            _, _, text = option_column(line)
            column = line.strip()[: len(line.strip()) - len(text)].strip()
            out += [".TP", bold_options(column)]
            if text:
                out.append(roff(text))
        else:
            out.append(roff(line.strip()))
    if verbatim:
        out += [".RE", ".fi"]
    return out


def man_page(grl, top, commands):
    version = subprocess.run([grl, "--version"], capture_output=True,
                             text=True, check=True).stdout.split()[-1]
    shared = {}  # heading -> lines, for blocks printed by several commands
    count = {}
    every = [c for head, children in commands for c in ([head] if head else []) + children]
    for c in every:
        for heading, lines in c.blocks:
            if heading:
                count[(heading, tuple(lines))] = count.get((heading, tuple(lines)), 0) + 1
    for (heading, lines), n in count.items():
        if n > 1:
            shared[heading] = list(lines)
    out = ['.\\" -*- coding: UTF-8 -*-',
           '.\\" Generated by cli/help_docs.py from `grl ... --help`; do not edit.',
           '.TH GRL 1 "" "grl %s" "User Commands"' % version, ".nh", ".ad l",
           ".SH NAME", "grl \\- graph learning on GraphBLAS: embeddings, walks, "
           "PageRank, link prediction",
           ".SH SYNOPSIS", ".B grl", ".I command", "[options]", ".br",
           ".B grl", "\\-\\-help | \\-\\-version", ".SH DESCRIPTION"]
    out += render_lines(top[1:])

    def section(c):
        res = [".SS \"grl %s\"" % " ".join(c.words), ".nf"]
        res += ["\\fBgrl\\fR " + roff(c.usage[0][len("grl "):])]
        res += [roff(u) for u in c.usage[1:]] + [".fi", ".PP"]
        for heading, lines in c.blocks:
            if heading in shared and lines == shared[heading]:
                res += [".PP", "%s options: see \\fB%s OPTIONS\\fR below." %
                        (roff(heading[0].upper() + heading[1:-1]),
                         roff(heading[:-1].upper()))]
                continue
            if heading:
                res += [".PP", "\\fI" + roff(heading) + "\\fR"]
            res += render_lines(lines)
        return res

    out.append(".SH COMMANDS")
    for head, children in commands:
        for c in ([head] if head else []) + children:
            out += section(c)
    for heading, lines in shared.items():
        out += [".SH " + roff(heading[:-1].upper()) + " OPTIONS"]
        out += render_lines(lines)
    return "\n".join(l for l in out) + "\n"


# ---- bash completion ----

def completion(commands):
    names = [(head or children[0]).words[0] for head, children in commands]
    subs_case, opts_case, values_case = [], [], []
    for head, children in commands:
        name = (head or children[0]).words[0]
        if children:
            subs = " ".join(c.words[1] for c in children)
            subs_case.append("        %s) echo \"%s\" ;;" % (name, subs))
        for c in children or [head]:
            key = " ".join(c.words)
            opts_case.append("        \"%s\") echo \"%s\" ;;" % (key, " ".join(c.options)))
            for opt, values in c.choices.items():
                values_case.append("        \"%s %s\") echo \"%s\" ;;" %
                                   (key, opt, " ".join(values)))
    return """# bash completion for grl(1): commands, subcommands, options and the
# values of options with a fixed set. Generated by cli/help_docs.py from
# `grl ... --help`; do not edit.

_grl_subcommands() {
    case "$1" in
%s
    esac
}

_grl_options() {
    case "$1" in
%s
    esac
}

_grl_values() {
    case "$1" in
%s
    esac
}

_grl() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local command=${COMP_WORDS[1]} words subs
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 ]]; then
        words="%s --help --version"
    else
        subs=$(_grl_subcommands "$command")
        if [[ -n $subs && $COMP_CWORD -eq 2 ]]; then
            words="$subs --help"
        else
            [[ -n $subs ]] && command="$command ${COMP_WORDS[2]}"
            words=$(_grl_values "$command $prev")
            if [[ -z $words && $cur == -* ]]; then
                words=$(_grl_options "$command")
            fi
        fi
    fi
    # no words: complete file names (complete -o default)
    [[ -n $words ]] && COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return 0
}
complete -o default -F _grl grl
""" % ("\n".join(subs_case), "\n".join(opts_case), "\n".join(values_case),
       " ".join(names))


def main():
    grl, outdir = sys.argv[1], sys.argv[2]
    top, commands = collect(grl)
    with open(outdir + "/grl.1", "w", encoding="utf-8") as f:
        f.write(man_page(grl, top, commands))
    with open(outdir + "/grl.bash-completion", "w", encoding="utf-8") as f:
        f.write(completion(commands))


if __name__ == "__main__":
    main()
