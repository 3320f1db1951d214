#!/usr/bin/env python3
"""Lists the public symbols of Swift source folders that have no `///` doc comment.

Usage: doc-coverage.py DIR... ; prints FILE:LINE: symbol for each undocumented one, exits 1 if any.

A public symbol is a declaration with `public` or `open` (extensions excluded: they are not symbols), and
every `case` of a public enum. Its doc comment is the `///` line(s) right above it, attributes
(`@inlinable`, `@discardableResult`, ...) in between allowed.
"""
import re
import sys
from pathlib import Path

DECL = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?:(?:static|final|mutating|nonmutating|nonisolated|"
    r"override|indirect|convenience|required|lazy|(?:private|fileprivate|internal)\(set\))\s+)*(func|var|let|init\??|struct|enum|class|actor|protocol|"
    r"typealias|subscript|case)\b"
)
PUBLIC_ENUM = re.compile(r"^(\s*)(?:@\w+\s+)*public\s+(?:indirect\s+)?enum\b")
CASE = re.compile(r"^\s*(?:indirect\s+)?case\s+\w+")


def documented(lines, index):
    """True when the lines above `index`, past attributes, end in a `///` comment."""
    i = index - 1
    while i >= 0 and lines[i].strip().startswith("@"):
        i -= 1
    return i >= 0 and lines[i].strip().startswith("///")


def undocumented(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    enum_indent = []  # indentation of the public enums we are inside
    for index, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        while enum_indent and stripped.startswith("}") and indent <= enum_indent[-1]:
            enum_indent.pop()
        match = PUBLIC_ENUM.match(line)
        if match and not line.rstrip().endswith("}"):
            enum_indent.append(len(match.group(1)))
        is_symbol = DECL.match(line) is not None
        # A case of a public enum (one level in), not a `case` inside a switch in a method body.
        if not is_symbol and enum_indent and CASE.match(line) and indent == enum_indent[-1] + 4:
            is_symbol = True
        if is_symbol and not documented(lines, index):
            problems.append(f"{path}:{index + 1}: {stripped}")
    return problems


def main(folders):
    problems = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.swift")):
            problems += undocumented(path)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} public symbols without a doc comment", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
