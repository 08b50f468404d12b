"""The reference parser: markdown-it-py decides what the grammar means.

Slow to import and to run on large files, so the fast scanner (``fastscan``) is used where it
can prove it models the document; this module is the fallback and the oracle in tests.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .structure import (
    CHECKBOX,
    MAX_DEPTH,
    TASK_HEAD,
    HeadingSpan,
    Structure,
    TaskSpan,
    front_matter_end,
    trim_end,
)
from .text import split_eol


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    # markdown-it stops nesting at 20 token levels (about 9 lists deep); task files go deeper.
    return MarkdownIt("commonmark", {"maxNesting": 2 * MAX_DEPTH + 10}).enable("table")


def reference_structure(lines: tuple[str, ...]) -> Structure:
    """Headings and task items as markdown-it sees them.

    Tasks and headings inside block quotes are left as opaque text; front matter is blanked
    out before parsing so that it is never read as a rule plus a setext heading.
    """
    fm = front_matter_end(lines)
    source = "\n" * fm + "".join(lines[fm:])
    tokens = _parser().parse(source)
    headings: list[HeadingSpan] = []
    tasks: list[TaskSpan] = []
    items: list[int | None] = []  # open list items: the task start line, or None
    quotes = 0
    for i, tok in enumerate(tokens):
        kind = tok.type
        if kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind == "heading_open" and quotes == 0 and tok.map:
            headings.append(HeadingSpan(tok.map[0], tok.map[1], int(tok.tag[1:])))
        elif kind == "list_item_open":
            start = _task_start(tokens, i, lines) if quotes == 0 else None
            if start is not None:
                parent = next((s for s in reversed(items) if s is not None), None)
                end = trim_end(lines, start, tok.map[1])
                tasks.append(TaskSpan(start, end, len(items), parent))
            items.append(start)
        elif kind == "list_item_close":
            items.pop()
    return Structure(tuple(headings), tuple(tasks))


def _task_start(tokens: list[Any], i: int, lines: tuple[str, ...]) -> int | None:
    """The first line of the list item at ``tokens[i]`` when it is a task, else None."""
    item = tokens[i]
    if i + 2 >= len(tokens) or not item.map:
        return None
    para, inline = tokens[i + 1], tokens[i + 2]
    if para.type != "paragraph_open" or not para.map or para.map[0] != item.map[0]:
        return None
    if not CHECKBOX.match(inline.content):
        return None
    start = item.map[0]
    if not TASK_HEAD.match(split_eol(lines[start])[0]):
        return None
    return start
