"""What a block parser must report about a task file: where headings and task items are.

Both parsers (the fast line scanner and the markdown-it reference) produce a ``Structure``;
everything else (units, labels, identity) is derived from it and the lines alone, so the two
parsers are equivalent exactly when their structures are equal.
"""

from __future__ import annotations

from operator import itemgetter

from .lazyre import lazy
from .text import is_blank, split_eol


# Named tuples written out: collections.namedtuple execs generated code, ~0.3 ms each at
# every start of the driver.
class HeadingSpan(tuple):  # type: ignore[type-arg]
    """A heading: its first line, the line after it, its level."""

    __slots__ = ()
    start: int = property(itemgetter(0))  # type: ignore[assignment]
    end: int = property(itemgetter(1))  # type: ignore[assignment]
    level: int = property(itemgetter(2))  # type: ignore[assignment]

    def __new__(cls, start: int, end: int, level: int) -> "HeadingSpan":
        return tuple.__new__(cls, (start, end, level))

    def __getnewargs__(self) -> tuple[object, ...]:  # pickling, as namedtuple allows
        return tuple(self)


class TaskSpan(tuple):  # type: ignore[type-arg]
    """A task item: its first line, the line after its last non-blank line, how many list
    items enclose it, and the first line of the nearest enclosing task (or None)."""

    __slots__ = ()
    start: int = property(itemgetter(0))  # type: ignore[assignment]
    end: int = property(itemgetter(1))  # type: ignore[assignment]
    depth: int = property(itemgetter(2))  # type: ignore[assignment]
    parent: int | None = property(itemgetter(3))  # type: ignore[assignment]

    def __new__(cls, start: int, end: int, depth: int, parent: int | None) -> "TaskSpan":
        return tuple.__new__(cls, (start, end, depth, parent))

    def __getnewargs__(self) -> tuple[object, ...]:  # pickling, as namedtuple allows
        return tuple(self)


class Structure(tuple):  # type: ignore[type-arg]
    """What a parser found: tuples of HeadingSpan and of TaskSpan."""

    __slots__ = ()
    headings: tuple[HeadingSpan, ...] = property(itemgetter(0))  # type: ignore[assignment]
    tasks: tuple[TaskSpan, ...] = property(itemgetter(1))  # type: ignore[assignment]

    def __new__(cls, headings: tuple[HeadingSpan, ...], tasks: tuple[TaskSpan, ...]) -> "Structure":
        return tuple.__new__(cls, (headings, tasks))

    def __getnewargs__(self) -> tuple[object, ...]:  # pickling, as namedtuple allows
        return tuple(self)


# Deeper lists than this are left to the reference parser (and beyond it, read as text).
MAX_DEPTH = 100

# A task's first line: list markers (possibly several, as in "- 1. [ ] x"), then a checkbox
# followed by white space or the end of the line (GFM's task-list rule). Besides GFM's states
# (" ", "x", "X"), Kiro's "-" (in progress) and "~" (queued) are tasks, and Kiro's optional
# tasks carry a star right after the box ("- [ ]* 3.2 Property tests").
STATES = " xX-~"
TASK_HEAD = lazy(r"(?s)^((?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)+)\[([ xX~-])\](\*?(?:[ \t].*)?)$")
CHECKBOX = lazy(r"^\[[ xX~-]\]\*?(?:[ \t\n]|$)")
_ATX = lazy(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_FM_END = lazy(r"^(?:---|\.\.\.)[ \t]*$")


def atx_heading(content: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line, or None."""
    m = _ATX.match(content)
    if m is None:
        return None
    text = (m.group(2) or "").strip()
    if text and not text.strip("#"):  # a closing sequence alone: an empty heading
        text = ""
    return len(m.group(1)), text


def heading_text(lines: tuple[str, ...]) -> str:
    """The text of a heading from its lines (ATX or setext)."""
    first = split_eol(lines[0])[0]
    if len(lines) == 1:
        parsed = atx_heading(first)
        if parsed is not None:
            return parsed[1]
    return " ".join(split_eol(line)[0].strip() for line in lines[:-1])


def front_matter_end(lines: tuple[str, ...]) -> int:
    """Number of lines of a YAML front matter block at the top (0 when there is none).

    A document opening with ``---`` and closing it with ``---`` or ``...`` before any checkbox
    item is front matter (markdown-it itself would read it as a rule and a setext heading).
    """
    first = split_eol(lines[0])[0] if lines else ""
    if not first.startswith("---") or first[3:].strip(" \t"):  # "---" and spaces or tabs
        return 0
    for i in range(1, len(lines)):
        content = split_eol(lines[i])[0]
        if _FENCE_FM_END.match(content):
            return i + 1
        if TASK_HEAD.match(content):
            return 0
    return 0


def trim_end(lines: tuple[str, ...], start: int, end: int) -> int:
    """``end`` moved back over trailing blank lines, never before ``start + 1``."""
    while end > start + 1 and is_blank(lines[end - 1]):
        end -= 1
    return end
