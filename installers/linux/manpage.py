#!/usr/bin/env python3
"""Writes a program's manual page (gzipped troff) from its own --help, so the page never drifts from the
program. With --commands, each command listed under "Commands:" (and each verb written as a|b|c) gets
its own section from `PROGRAM COMMAND [VERB] --help`.

usage: manpage.py PROGRAM NAME SECTION SUMMARY VERSION DATE OUT.gz [--commands] [--extra FILE]
"""
import gzip
import os
import re
import subprocess
import sys


def run_help(argv):
    env = dict(os.environ, MAAS_LANGUAGE="en", LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(argv + ["--help"], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not done.stdout.strip():
        sys.exit(f"manpage.py: `{' '.join(argv)} --help` failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout.replace(argv[0], os.path.basename(argv[0]))


def escape(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def split_usage(text):
    """The Usage: line and the lines under it that continue it (indented, up to a blank line)."""
    lines = text.splitlines()
    usage = []
    while lines and (lines[0].startswith("Usage:") or (usage and lines[0].startswith(" "))):
        usage.append(lines.pop(0).removeprefix("Usage:").strip())
    return usage, lines


def body(lines, heading):
    """Prose is filled; indented lines (options, examples, tables) keep their layout; a line like
    "Options:" becomes a heading of the given kind."""
    out, block = [], None
    for line in lines:
        kind = "blank" if not line.strip() else "pre" if line.startswith(" ") else "text"
        if kind == "text" and re.fullmatch(r"[A-Z][A-Za-z ,()/-]*:", line.strip()):
            kind = "heading"
        if block == "pre" and kind != "pre":
            out.append(".fi")
        if kind == "heading":
            out.append(f"{heading} {escape(line.strip()[:-1])}")
        elif kind == "pre":
            if block != "pre":
                out.append(".nf")
            out.append(escape(line))
        elif kind == "text":
            if block not in ("text",):
                out.append(".PP")
            out.append(escape(line.strip()))
        block = kind if kind != "heading" else None
    if block == "pre":
        out.append(".fi")
    return out


def commands(program, top_help):
    """[(command, verb or None)] from the Commands: section of the top help."""
    found, inside = [], False
    for line in top_help.splitlines():
        if not line.startswith(" "):
            inside = line.strip() == "Commands:"
            continue
        match = re.match(r"  ([a-z][a-z-]*)(?: ([a-z|]+\|[a-z|]+))?(?:\s|$)", line) if inside else None
        if match:
            verbs = match.group(2).split("|") if match.group(2) else [None]
            found += [(match.group(1), verb) for verb in verbs]
    return found


def page(args):
    program, name, section, summary, version, date, out = args[:7]
    top = run_help([program])
    usage, rest = split_usage(top)
    lines = [f'.TH {name.upper()} {section} "{date}" "{name} {version}" "MaaS Workbench"',
             ".SH NAME", f"{escape(name)} \\- {escape(summary)}", ".SH SYNOPSIS", ".nf"]
    lines += [escape(u) for u in usage] + [".fi", ".SH DESCRIPTION"] + body(rest, ".SS")
    if "--commands" in args:
        lines.append(".SH COMMANDS")
        for command, verb in commands(program, top):
            argv = [program, command] + ([verb] if verb else [])
            usage, rest = split_usage(run_help(argv))
            lines += [f".SS {escape(' '.join(argv[1:]))}", ".nf"] + [escape(u) for u in usage] + [".fi"]
            lines += body(rest, ".PP\n.B")
    if "--extra" in args:
        with open(args[args.index("--extra") + 1], encoding="utf-8") as extra:
            lines.append(extra.read().rstrip("\n"))
    text = "\n".join(lines) + "\n"
    tmp = out + ".tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) < 8:
        sys.exit(__doc__)
    page(sys.argv[1:])
