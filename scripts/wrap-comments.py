#!/usr/bin/env python3
"""Wraps the comments of C# files at a width (default 120), for scripts/format.

A comment line longer than the width is split at its last space that fits, and the rest goes on the next line with
the same indentation and comment marker (`//` or `///`). A comment that trails code on a too-long line moves onto a
line of its own above that code. No other text changes, so running it twice changes nothing the second time.
Usage: scripts/wrap-comments.py [--width N] FILE...
"""
import re
import sys

WIDTH = 120


def trailing_comment_start(line: str) -> int:
    """The index of a `//` that starts a comment after code, or -1 (string and char literals are skipped)."""
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == '"':
            verbatim = i > 0 and line[i - 1] == '@' or (i > 1 and line[i - 2:i] in ('@$', '$@'))
            if line.startswith('"""', i):
                return -1  # a raw string literal: leave the line alone
            i += 1
            while i < n:
                if verbatim and line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        i += 2
                        continue
                    break
                if not verbatim and line[i] == '\\':
                    i += 2
                    continue
                if line[i] == '"':
                    break
                i += 1
        elif c == "'":
            m = re.match(r"'(\\.[^']*|[^'\\])'", line[i:])
            if m:
                i += len(m.group(0)) - 1
        elif line.startswith('//', i):
            return i
        elif line.startswith('/*', i):
            return -1
        i += 1
    return -1


def split_comment(indent: str, marker: str, text: str, width: int) -> list[str]:
    """`indent + marker + text`, broken at spaces so that each line fits where a space allows."""
    out = []
    prefix = indent + marker
    while len(prefix) + len(text) > width:
        room = width - len(prefix)
        cut = text.rfind(' ', 0, room + 1)
        if cut <= 0:
            cut = text.find(' ', room)  # one word longer than the room: break after it
            if cut <= 0:
                break
        out.append((prefix + text[:cut]).rstrip())
        text = text[cut + 1:].lstrip(' ')
    out.append(prefix + text)
    return out


def wrap(lines: list[str], width: int) -> list[str]:
    out = []
    for line in lines:
        body = line.rstrip('\n')
        if len(body) <= width:
            out.append(line)
            continue
        m = re.match(r'^(\s*)(///?\s?)(.*)$', body)
        if m:
            indent, marker, text = m.groups()
            marker = marker if marker.endswith(' ') else marker + ' '
            out.extend(l + '\n' for l in split_comment(indent, marker, text, width))
            continue
        at = trailing_comment_start(body)
        if at > 0 and body[:at].strip():
            indent = re.match(r'^\s*', body).group(0)
            comment = body[at:]
            m = re.match(r'^(///?\s?)(.*)$', comment)
            marker, text = m.groups()
            marker = marker if marker.endswith(' ') else marker + ' '
            out.extend(l + '\n' for l in split_comment(indent, marker, text, width))
            out.append(body[:at].rstrip() + '\n')
            continue
        out.append(line)
    return out


def main(argv: list[str]) -> int:
    width = WIDTH
    if argv[:1] == ['--width']:
        width, argv = int(argv[1]), argv[2:]
    for path in argv:
        with open(path, encoding='utf-8', newline='') as f:
            lines = f.readlines()
        wrapped = wrap(lines, width)
        if wrapped != lines:
            with open(path, 'w', encoding='utf-8', newline='') as f:
                f.writelines(wrapped)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
