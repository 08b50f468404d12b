"""A fast line scanner for the common subset of Markdown that task files use.

It models list items, ATX headings, paragraphs (with lazy continuation), fenced code, HTML
comments and thematic breaks, exactly as CommonMark (markdown-it) does. On anything else, or
anything it is unsure of (tabs in indentation, block quotes, other HTML, setext headings,
indented code, tables, headings inside items), it returns None and the caller uses the
reference parser. Differential tests prove both agree wherever the scanner answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .structure import (
    CHECKBOX,
    MAX_DEPTH,
    HeadingSpan,
    Structure,
    TaskSpan,
    atx_heading,
    front_matter_end,
    trim_end,
)
from .text import split_eol

_MARKER = re.compile(r"([-*+]|(\d{1,9})[.)])( *)")
_THEMATIC = re.compile(r"([-*_])(?: *\1){2,} *$")
_SETEXT = re.compile(r"(?:=+|-+) *$")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_TABLE_DELIM = re.compile(r"\|?(?: *:?-+:? *\|)+(?: *:?-+:? *)?\|? *$|(?: *:?-+:? *\|)+ *:?-+:? *$")
# Anything that may open a block the scanner does not model, at the start of a line's content.
_UNMODELLED = re.compile(r"[>\t<]|#|`{3}|~{3}|[-*+](?: |$)|\d{1,9}[.)](?: |$)|=+ *$")


class _Unsure(Exception):
    """The document holds a construct the scanner does not model."""


@dataclass
class _Item:
    start: int
    content_indent: int
    list_base: int
    task: bool


def fast_structure(lines: tuple[str, ...]) -> Structure | None:
    """The document's structure, or None when the reference parser must decide."""
    try:
        return _scan(lines)
    except _Unsure:
        return None


def _scan(lines: tuple[str, ...]) -> Structure:
    headings: list[HeadingSpan] = []
    tasks: list[TaskSpan] = []
    items: list[_Item] = []
    leaf: str | None = None  # "para", "fence", "html" or None
    fence = ""

    def close_from(k: int, at: int) -> None:
        for item in items[k:]:
            if item.task:
                _finish(tasks, item, trim_end(lines, item.start, at))
        del items[k:]

    for n in range(front_matter_end(lines), len(lines)):
        content = split_eol(lines[n])[0]
        stripped = content.lstrip(" ")
        if stripped.startswith("\t"):
            raise _Unsure
        indent = len(content) - len(stripped)
        blank = stripped == ""
        matched = len(items) if blank else _matched(items, indent)
        base = items[matched - 1].content_indent if matched else 0
        rel = indent - base

        if leaf == "fence" and not blank and matched == len(items):
            if rel < 4 and re.fullmatch(re.escape(fence[0]) + "{%d,} *" % len(fence), stripped):
                leaf = None
            continue
        if leaf == "fence" and blank:
            continue
        if leaf == "html":
            if matched == len(items):
                if "-->" in content:
                    leaf = None
                continue
            leaf = None
        if leaf == "fence":
            leaf = None  # an unmatched line closes the item, and the fence with it
        if blank:
            leaf = None
            continue

        if matched < len(items):
            innermost = items[-1]
            if indent - innermost.list_base >= 4 and _MARKER.match(stripped):
                raise _Unsure  # markdown-it's staircase special case
            if leaf == "para" and not _interrupts_lazily(stripped):
                continue  # lazy continuation: the paragraph goes on, items stay open
            close_from(matched, n)
            leaf = None
            base = items[-1].content_indent if items else 0
            rel = indent - base

        if rel >= 4:
            if leaf == "para":
                continue
            raise _Unsure  # indented code
        if leaf == "para" and _SETEXT.match(stripped):
            raise _Unsure
        if _THEMATIC.match(stripped):
            leaf = None
            continue
        heading = atx_heading(stripped)
        if heading is not None:
            if items:
                raise _Unsure  # a heading inside a list item
            headings.append(HeadingSpan(n, n + 1, heading[0]))
            leaf = None
            continue
        if stripped.startswith(">") or _TABLE_DELIM.match(stripped):
            raise _Unsure
        if stripped.startswith("<"):
            if not stripped.startswith("<!--"):
                raise _Unsure
            leaf = None if "-->" in stripped[4:] else "html"
            continue
        m = _FENCE.match(stripped)
        if m is not None:
            if m.group(1)[0] == "`" and "`" in m.group(2):
                raise _Unsure
            leaf, fence = "fence", m.group(1)
            continue
        m = _MARKER.match(stripped)
        if m is not None and (m.end() == len(stripped) or m.group(3)):
            spaces = len(m.group(3))
            rest = stripped[m.end():]
            if rest == "" or spaces >= 5 or _UNMODELLED.match(rest):
                raise _Unsure  # empty item, indented code in an item, or a nested block
            if leaf == "para" and m.group(2) is not None and int(m.group(2)) != 1:
                raise _Unsure  # an ordered list not at 1 cannot interrupt a paragraph
            close_from(len(items), n)
            if len(items) >= MAX_DEPTH:
                raise _Unsure
            is_task = CHECKBOX.match(rest) is not None
            item = _Item(n, indent + len(m.group(1)) + spaces, base, is_task)
            if is_task:
                parent = next((i.start for i in reversed(items) if i.task), None)
                tasks.append(TaskSpan(n, -1, len(items), parent))
            items.append(item)
            leaf = "para"
            continue
        leaf = "para"
    close_from(0, len(lines))
    return Structure(tuple(headings), tuple(tasks))


def _matched(items: list[_Item], indent: int) -> int:
    """How many open list items a non-blank line with this indent continues."""
    k = 0
    for item in items:
        if indent < item.content_indent:
            break
        k += 1
    return k


def _interrupts_lazily(stripped: str) -> bool:
    """Whether an under-indented line ends an open paragraph (instead of continuing it lazily).

    Any list marker does here: markdown-it lets a sibling item end the previous one.
    """
    if _SETEXT.match(stripped) or _TABLE_DELIM.match(stripped):
        raise _Unsure
    if stripped.startswith((">", "<")):
        raise _Unsure
    if _THEMATIC.match(stripped) or atx_heading(stripped) is not None or _FENCE.match(stripped):
        return True
    m = _MARKER.match(stripped)
    return m is not None and (m.end() == len(stripped) or bool(m.group(3)))


def _finish(tasks: list[TaskSpan], item: _Item, end: int) -> None:
    """Fill in the end line of the task opened at ``item.start``."""
    for k in range(len(tasks) - 1, -1, -1):
        if tasks[k].start == item.start:
            t = tasks[k]
            tasks[k] = TaskSpan(t.start, end, t.depth, t.parent)
            return
