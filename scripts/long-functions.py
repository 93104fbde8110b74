#!/usr/bin/python3
"""Lists functions longer than a limit (default 80 lines) in engine/, app/ and widgets/.

Functions are found by the house style (clang-format, WebKit): a definition's body opens with '{'
alone at the start of a line and closes with '}' at the start of a line. Exit 1 when any is too long.
Usage: long-functions.py [LIMIT]
"""
import pathlib
import sys

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
root = pathlib.Path(__file__).resolve().parent.parent
long = []
for folder in ("engine", "app", "widgets"):
    for path in sorted((root / folder).rglob("*.cpp")):
        lines = path.read_text(encoding="utf-8").splitlines()
        start = None
        for number, line in enumerate(lines, 1):
            if line == "{":
                start = number
            elif line.startswith("}") and start is not None and not line.startswith("} //"):
                length = number - start - 1
                if length > limit:
                    header = lines[start - 2].strip()
                    long.append((length, f"{path.relative_to(root)}:{start - 1}", header))
                start = None
for length, where, header in sorted(long, reverse=True):
    print(f"{length:4d}  {where}  {header}")
sys.exit(1 if long else 0)
