"""A fast line scanner for the common subset of Markdown that task files use.

It models list items (empty ones too), ATX headings, paragraphs (with lazy continuation), GFM
tables, fenced and indented code, HTML comments and thematic breaks, exactly as CommonMark
(markdown-it) does.
On anything else, or anything it is unsure of (tabs in indentation, block quotes, other HTML,
setext headings, headings inside items), it returns None and the caller uses the
reference parser. Differential tests prove both agree wherever the scanner answers.
"""

from __future__ import annotations

from .lazyre import lazy
from .structure import (
    CHECKBOX,
    MAX_DEPTH,
    STATES,
    HeadingSpan,
    Structure,
    TaskSpan,
    atx_heading,
    front_matter_end,
    trim_end,
)

_MARKER = lazy(r"([-*+]|(\d{1,9})[.)])( *)")
_THEMATIC = lazy(r"([-*_])(?: *\1){2,} *$")
_SETEXT = lazy(r"(?:=+|-+) *$")
_FENCE = lazy(r"(`{3,}|~{3,})(.*)$")
_TABLE_DELIM = lazy(r"\|?(?: *:?-+:? *\|)+(?: *:?-+:? *)?\|? *$|(?: *:?-+:? *\|)+ *:?-+:? *$")
# Anything that may open a block the scanner does not model, at the start of a line's content.
_UNMODELLED = lazy(r"[>\t<]|#|`{3}|~{3}|[-*+](?: |$)|\d{1,9}[.)](?: |$)|=+ *$")


class _Unsure(Exception):
    """The document holds a construct the scanner does not model."""


_SPECIAL = frozenset("-*+_#>|<`~=:\t0123456789")
# markdown-it's mdTrim: JavaScript's String.prototype.trim set, minus U+FEFF.
_MD_TRIM = "".join(chr(c) for c in sorted({0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000,
                                             0x2028, 0x2029} | set(range(0x2000, 0x200B))))
_ALIGN = lazy(r"^:?-+:?$")
_NOT_SIMPLE = frozenset(" -*_\t") | {""}
_UNMODELLED_START = frozenset(">\t<#`~-*+=0123456789")


def fast_structure(lines: tuple[str, ...]) -> Structure | None:
    """The document's structure, or None when the reference parser must decide."""
    try:
        return _scan(lines)
    except _Unsure:
        return None


def _scan(lines: tuple[str, ...]) -> Structure:
    """One pass over the lines; common lines (text, blank, list items) take few steps.

    Open list items are kept as [content indent, list base, task index or -1]; the task spans
    are filled in as items close.
    """
    headings: list[HeadingSpan] = []
    t_start: list[int] = []
    t_end: list[int] = []
    t_depth: list[int] = []
    t_parent: list[int | None] = []
    items: list[list[int]] = []
    open_tasks: list[int] = []  # task indexes of the open items that are tasks
    leaf: str | None = None  # "para", "fence", "html" or None
    fence = ""
    empty_at = -2  # the line of the last empty item ("-" alone): a blank line right after ends it

    def close_from(k: int, at: int) -> None:
        for item in items[k:]:
            ti = item[2]
            if ti >= 0:
                start = t_start[ti]
                t_end[ti] = at if at == start + 1 or lines[at - 1].strip(" \t\r\n") else trim_end(lines, start, at)
                open_tasks.pop()
        del items[k:]

    def open_item(rest: str, n: int, content_indent: int, base: int) -> None:
        if len(items) >= MAX_DEPTH:
            raise _Unsure
        ti = -1
        if rest[:1] == "[" and CHECKBOX.match(rest):  # (an empty item has no rest)
            ti = len(t_start)
            t_start.append(n)
            t_end.append(-1)
            t_depth.append(len(items))
            t_parent.append(t_start[open_tasks[-1]] if open_tasks else None)
            open_tasks.append(ti)
        items.append([content_indent, base, ti])

    for n in range(front_matter_end(lines), len(lines)):
        content = lines[n].rstrip("\r\n")
        stripped = content.lstrip(" ")
        if not stripped:
            if empty_at == n - 1:
                items.pop()  # an item begins with at most one blank line: nothing on its first, it ends
            if leaf != "fence" and leaf != "html":
                leaf = None
            continue
        c = stripped[0]
        if c == "\t":
            raise _Unsure
        indent = len(content) - len(stripped)
        simple_item = (c == "-" or c == "*" or c == "+") and stripped[1:2] == " " and stripped[2:3] not in _NOT_SIMPLE
        if simple_item and items and leaf != "fence" and leaf != "html" and leaf != "table" and "|" not in stripped:
            last = items[-1]
            if indent < last[0] and 0 <= indent - last[1] < 4:
                # The commonest line: the next sibling item. It closes the innermost item and
                # opens one beside it; the same steps the general path below takes.
                rest = stripped[2:]
                if rest[0] in _UNMODELLED_START and _UNMODELLED.match(rest):
                    raise _Unsure
                ti = last[2]
                if ti >= 0:  # close the innermost item (inlined close_from)
                    start = t_start[ti]
                    t_end[ti] = n if n == start + 1 or lines[n - 1].strip(" \t\r\n") else trim_end(lines, start, n)
                    open_tasks.pop()
                items.pop()
                ti = -1
                if rest[0] == "[" and rest[2:3] == "]" and rest[1] in STATES and (
                        rest[3:4] in ("", " ", "\t") or CHECKBOX.match(rest)):
                    ti = len(t_start)  # a task (inlined open_item; the test is CHECKBOX's)
                    t_start.append(n)
                    t_end.append(-1)
                    t_depth.append(len(items))
                    t_parent.append(t_start[open_tasks[-1]] if open_tasks else None)
                    open_tasks.append(ti)
                items.append([indent + 2, last[1], ti])
                leaf = "para"
                continue
        depth = len(items)
        matched = depth
        if depth and indent < items[-1][0]:
            matched = _matched(items, indent)
        base = items[matched - 1][0] if matched else 0
        rel = indent - base

        if leaf == "fence":
            if matched == depth:
                if rel < 4 and c == fence[0] and _closes(stripped, fence):
                    leaf = None
                continue
            leaf = None  # an unmatched line closes the item, and the fence with it
        elif leaf == "html":
            if matched == depth:
                if "-->" in content:
                    leaf = None
                continue
            leaf = None
        elif leaf == "table":
            if matched == depth and rel < 4 and not _ends_table(stripped):
                continue  # a table row
            leaf = None  # the table ends here; the line starts something else

        if matched < depth:
            if leaf == "para" and "|" in stripped and n + 1 < len(lines) and _table_start(stripped, lines[n + 1], 0):
                raise _Unsure  # a table header as a lazy line: not modelled
            if simple_item:
                if indent - items[-1][1] >= 4:
                    raise _Unsure  # markdown-it's staircase special case
                lazy = False  # a plain "- text" item always ends the paragraph of a deeper item
            elif c in _SPECIAL:
                if indent - items[-1][1] >= 4 and _MARKER.match(stripped):
                    raise _Unsure  # markdown-it's staircase special case
                lazy = leaf == "para" and not _interrupts_lazily(stripped)
            else:
                lazy = leaf == "para"
            if lazy:
                continue  # lazy continuation: the paragraph goes on, items stay open
            close_from(matched, n)
            leaf = None
            base = items[-1][0] if items else 0
            rel = indent - base

        if rel >= 4:
            # A paragraph's continuation, or indented code (it cannot interrupt a paragraph):
            # no heading or task in either. Code ends at the first line indented less, and
            # reads then as after any block that is not a paragraph.
            if leaf != "para":
                leaf = None
            continue
        if "|" in stripped and n + 1 < len(lines) and _table_start(stripped, lines[n + 1], base):
            leaf = "table"  # markdown-it tries tables first, and a table ends a paragraph
            continue
        if c not in _SPECIAL:
            leaf = "para"
            continue
        if simple_item:
            # the common "- text" item: no rule, setext line, table row or nested block
            rest = stripped[2:]
            if rest[0] in _UNMODELLED_START and _UNMODELLED.match(rest):
                raise _Unsure
            leaf = "para"
            open_item(rest, n, indent + 2, base)
            continue
        if leaf == "para" and (c == "=" or c == "-") and _SETEXT.match(stripped):
            raise _Unsure
        if (c == "-" or c == "*" or c == "_") and _THEMATIC.match(stripped):
            leaf = None
            continue
        if c == "#":
            heading = atx_heading(stripped)
            if heading is not None:
                if items:
                    raise _Unsure  # a heading inside a list item
                headings.append(HeadingSpan(n, n + 1, heading[0]))
                leaf = None
                continue
        if c == ">" or ((c == "|" or c == "-" or c == ":") and _TABLE_DELIM.match(stripped)):
            raise _Unsure
        if c == "<":
            if not stripped.startswith("<!--"):
                raise _Unsure
            leaf = None if "-->" in stripped[4:] else "html"
            continue
        if c == "`" or c == "~":
            m = _FENCE.match(stripped)
            if m is not None:
                if c == "`" and "`" in m.group(2):
                    raise _Unsure
                leaf, fence = "fence", m.group(1)
                continue
        m = _MARKER.match(stripped) if (c in "-*+" or c.isdigit()) else None
        if m is not None and (m.end() == len(stripped) or m.group(3)):
            spaces = len(m.group(3))
            rest = stripped[m.end():]
            if rest == "":
                if leaf == "para":
                    continue  # an empty item cannot interrupt a paragraph: it is the paragraph's text
                open_item(rest, n, indent + len(m.group(1)) + 1, base)  # its content: one column past the marker
                empty_at, leaf = n, None
                continue
            if spaces >= 5 or _UNMODELLED.match(rest):
                raise _Unsure  # indented code in an item, or a nested block
            if leaf == "para" and m.group(2) is not None and int(m.group(2)) != 1:
                raise _Unsure  # an ordered list not at 1 cannot interrupt a paragraph
            open_item(rest, n, indent + len(m.group(1)) + spaces, base)
            leaf = "para"
            continue
        leaf = "para"
    close_from(0, len(lines))
    return Structure(tuple(headings), tuple(map(TaskSpan, t_start, t_end, t_depth, t_parent)))


def _table_start(header: str, next_line: str, base: int) -> bool:
    """Whether ``header`` (from its first non-space character) and the next line open a GFM
    table in a container whose content starts at column ``base`` (markdown-it's table rule)."""
    nxt = next_line.rstrip("\r\n")
    delim = nxt.lstrip(" ")
    if delim.startswith("\t"):
        raise _Unsure
    indent = len(nxt) - len(delim)
    if indent < base or indent - base >= 4 or len(delim) < 2:
        return False
    first, second = delim[0], delim[1]
    if first not in "|-:" or second not in "|-: \t" or (first == "-" and second in " \t"):
        return False
    if any(ch not in "|-: \t" for ch in delim[2:]):
        return False
    cells = delim.split("|")
    aligns = 0
    for i, cell in enumerate(cells):
        text = cell.strip(_MD_TRIM)
        if not text:
            if i == 0 or i == len(cells) - 1:
                continue
            return False
        if not _ALIGN.match(text):
            return False
        aligns += 1
    line = header.strip(_MD_TRIM)
    if "|" not in line:
        return False
    columns = _escaped_split(line)
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return 0 < len(columns) == aligns


def _escaped_split(text: str) -> list[str]:
    """Split a table row at pipes not escaped by a backslash (markdown-it's escapedSplit)."""
    out: list[str] = []
    current, last, escaped = "", 0, False
    for pos, ch in enumerate(text):
        if ch == "|":
            if not escaped:
                out.append(current + text[last:pos])
                current, last = "", pos + 1
            else:
                current += text[last:pos - 1]
                last = pos
        escaped = ch == "\\"
    out.append(current + text[last:])
    return out


def _ends_table(stripped: str) -> bool:
    """Whether a line that is not blank ends a table: the blocks markdown-it lets interrupt one."""
    c = stripped[0]
    if c == ">":
        raise _Unsure
    if c == "<":
        if stripped.startswith("<!--"):
            return True
        raise _Unsure
    if _THEMATIC.match(stripped) or atx_heading(stripped) is not None:
        return True
    m = _FENCE.match(stripped)
    if m is not None:
        if m.group(1)[0] == "`" and "`" in m.group(2):
            raise _Unsure
        return True
    m = _MARKER.match(stripped)
    return m is not None and (m.end() == len(stripped) or bool(m.group(3)))


def _matched(items: list[list[int]], indent: int) -> int:
    """How many open list items a non-blank line with this indent continues."""
    k = 0
    for item in items:
        if indent < item[0]:
            break
        k += 1
    return k


def _interrupts_lazily(stripped: str) -> bool:
    """Whether an under-indented line ends an open paragraph (instead of continuing it lazily).

    Any list marker does here, an empty one too: markdown-it lets a sibling item end the
    previous one. A line of "=" or "-" is no setext underline here: an underline must be
    indented as far as the paragraph's item content, and this line is not.
    """
    if _TABLE_DELIM.match(stripped):
        raise _Unsure
    if stripped.startswith((">", "<")):
        raise _Unsure
    if _THEMATIC.match(stripped) or atx_heading(stripped) is not None or _FENCE.match(stripped):
        return True
    m = _MARKER.match(stripped)
    return m is not None and (m.end() == len(stripped) or bool(m.group(3)))


def _closes(stripped: str, fence: str) -> bool:
    """Whether a line (without its indentation) closes ``fence``: at least as many of the
    fence's character, then only spaces (CommonMark's closing fence)."""
    body = stripped.rstrip(" ")
    return len(body) >= len(fence) and body.count(fence[0]) == len(body)
