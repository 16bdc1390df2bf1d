#!/usr/bin/env python3
"""Splits string literals that run past the width (default 120), for scripts/format.

On a line longer than the width, the last regular ("...") or interpolated ($"...") literal that crosses the width is
cut at a space inside it: `"first part " +` stays on the line and `"rest"` goes on the next one, indented one level
deeper (CSharpier then lays the expression out). Interpolated literals are cut outside their holes and both parts keep
the `$`. Verbatim, raw and UTF-8 (u8) literals are left alone, as are lines inside raw literals. The value of every
string stays the same; running it again on its own output changes nothing.
Usage: scripts/split-strings.py [--width N] FILE...
"""
import re
import sys

WIDTH = 120
SEPARATORS = ' ,&;/'


def literals(line: str):
    """(start, end, interpolated) of each regular or interpolated literal on the line; end is the closing quote."""
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if line.startswith('//', i):
            return
        if c == "'":
            m = re.match(r"'(\\.[^']*|[^'\\])'", line[i:])
            i += len(m.group(0)) if m else 1
            continue
        if c != '"':
            i += 1
            continue
        if line.startswith('"""', i):
            close = line.find('"""', i + 3)
            if close < 0:
                return  # a multi-line raw literal: nothing after it is ours to cut
            dollars = len(line[:i]) - len(line[:i].rstrip('$'))
            yield i, close, ('raw', dollars)
            i = close + 3
            continue
        prefix = line[max(0, i - 2):i]
        verbatim = prefix.endswith('@')
        interpolated = prefix.endswith('$') and not verbatim
        if verbatim or prefix.endswith('$@') or prefix.endswith('@$'):
            j = i + 1
            while j < n and not (line[j] == '"' and not line.startswith('""', j)):
                j += 2 if line.startswith('""', j) else 1
            i = j + 1
            continue
        j, depth = i + 1, 0
        while j < n:
            ch = line[j]
            skip, depth = step(line, j, depth, interpolated)
            if skip:
                j += skip
                continue
            if ch == '"' and depth == 0:
                break
            elif ch == '"' and depth > 0:
                # a literal inside a hole: skip it
                k = j + 1
                while k < n and line[k] != '"':
                    k += 2 if line[k] == '\\' else 1
                j = k
            j += 1
        if j >= n:
            return  # unterminated on this line
        yield i, j, interpolated
        i = j + 1


def step(line: str, j: int, depth: int, interpolated: bool):
    """One character of a scan through a literal, at `line[j]`: (skip, depth). skip is 2 for an escape or a doubled
    brace outside holes (passed over whole), else 0; depth is the hole depth once a single brace of an interpolated
    literal opens or closes one."""
    ch = line[j]
    if ch == '\\' and depth == 0:
        return 2, depth
    if interpolated and ch in '{}':
        if depth == 0 and line.startswith(ch * 2, j):
            return 2, depth
        return 0, depth + 1 if ch == '{' else max(0, depth - 1)
    return 0, depth


def cut_points(line: str, start: int, end: int, interpolated: bool):
    """Positions p inside the literal (start < p < end) where `line[:p]` may end a part: right after a space, outside
    holes and escapes."""
    depth, j = 0, start + 1
    while j < end:
        ch = line[j]
        skip, depth = step(line, j, depth, interpolated)
        if skip:
            j += skip
            continue
        if ch in SEPARATORS and depth == 0 and j + 1 < end:
            yield j + 1
        if interpolated and ch == '{' and depth == 1 and j > start + 1:
            yield j  # before a hole
        j += 1


def split_line(line: str, width: int):
    if len(line) <= width:
        return None
    indent = re.match(r'^\s*', line).group(0)
    for start, end, interpolated in reversed(list(literals(line))):
        if line[end + 1:].lstrip('"').startswith('u8'):
            continue  # a UTF-8 literal cannot be concatenated
        if start >= width - 4 or end < width - 2:
            continue  # starts too late to leave a useful part, or ends before the width
        if isinstance(interpolated, tuple):
            dollars = interpolated[1]
            holes = []
            if dollars:
                for m in re.finditer(r'\{' * dollars + r'.*?' + r'\}' * dollars, line[start:end]):
                    holes.append((start + m.start(), start + m.end()))
            points = [p for p in range(start + 4, end - 1)
                      if line[p - 1] in SEPARATORS + ':{[' and line[p - 1] != '"' and line[p] != '"'
                      and p + 5 <= width and not any(a < p < b for a, b in holes)
                      and line[p - 1] != '{' * (dollars > 0) and line[p] != '}']
            if not points:  # no separator: between any two characters that are not quotes
                points = [p for p in range(start + 4, end - 1)
                          if line[p - 1] != '"' and line[p] != '"' and p + 5 <= width
                          and not any(a < p < b for a, b in holes) and line[p - 1] not in '{}' and line[p] not in '{}']
            if not points:
                continue
            p = points[-1]
            return [line[:p] + '""" +', indent + '    ' + '$' * dollars + '"""' + line[p:]]
        quote = '$"' if interpolated else '"'
        best = None
        points = [p for p in cut_points(line, start, end, interpolated) if p + 3 <= width and p - start > 1]
        spaces = [p for p in points if line[p - 1] == ' ' or line[p] == '{']
        best = (spaces or points or [None])[-1]
        if best is None:
            continue
        first = line[:best] + '" +'
        rest = indent + '    ' + quote + line[best:]
        return [first, rest]
    return None


def main(argv):
    width = WIDTH
    if argv[:1] == ['--width']:
        width, argv = int(argv[1]), argv[2:]
    changed = 0
    for path in argv:
        with open(path, encoding='utf-8', newline='') as f:
            lines = f.read().split('\n')
        out, in_raw = [], False
        for line in lines:
            if line.count('"""') % 2 == 1:
                in_raw = not in_raw
                out.append(line)
                continue
            if in_raw:
                out.append(line)
                continue
            parts = split_line(line, width)
            while parts:
                out.append(parts[0])
                line = parts[1]
                parts = split_line(line, width)
            out.append(line)
        if out != lines:
            changed += 1
            with open(path, 'w', encoding='utf-8', newline='') as f:
                f.write('\n'.join(out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
