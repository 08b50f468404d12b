"""The task-file model: a document is a flat sequence of units that render back to its bytes.

A unit is a heading, a task (its checkbox line and the detail lines under it) or an opaque
block (prose, tables, fences, comments, front matter). Every unit carries ``lead``: the blank
lines before it, so concurrent inserts never glue paragraphs together or double blank lines.
Nesting is carried by each task's ``depth`` and ``parent``; sections by heading order.
Units are immutable by convention: change them with ``replace`` (see ``record``).
"""

from __future__ import annotations

from .lazyre import lazy
from .record import Record

TYPE_CHECKING = False  # typing costs ~5 ms to import; the driver needs it only for mypy

if TYPE_CHECKING:
    from typing import Sequence, Union


class Heading(Record):
    """An ATX (``## Title``) or setext heading."""

    __slots__ = ("lead", "lines", "level", "text", "line")
    _compare = ("lead", "lines", "level", "text")

    def __init__(self, lead: tuple[str, ...], lines: tuple[str, ...], level: int, text: str, line: int = 0) -> None:
        self.lead = lead
        self.lines = lines
        self.level = level
        self.text = text
        self.line = line

    def render(self) -> str:
        return "".join(self.lead) + "".join(self.lines)


class Task(Record):
    """A list item whose paragraph starts with a checkbox, with the lines that belong to it.

    The head line is ``prefix + "[" + state + "]" + gap + label + label_sep + title + eol``;
    ``state`` is one of " xX-~" and ``gap`` may start with Kiro's optional star.
    ``line`` and ``parent`` (0-based line of the enclosing task) are where the parse found it;
    ``source`` is the head line as parsed ("" once a field was replaced).
    """

    __slots__ = ("lead", "prefix", "state", "gap", "label", "label_sep", "title", "eol", "body",
                 "depth", "line", "parent", "source")
    _compare = ("lead", "prefix", "state", "gap", "label", "label_sep", "title", "eol", "body", "depth")

    def __init__(self, lead: tuple[str, ...], prefix: str, state: str, gap: str, label: str, label_sep: str,
                 title: str, eol: str, body: tuple[str, ...] = (), depth: int = 0, line: int = 0,
                 parent: int | None = None, source: str = "") -> None:
        self.lead = lead
        self.prefix = prefix
        self.state = state
        self.gap = gap
        self.label = label
        self.label_sep = label_sep
        self.title = title
        self.eol = eol
        self.body = body
        self.depth = depth
        self.line = line
        self.parent = parent
        self.source = source

    def __eq__(self, other: object) -> bool:
        if type(other) is not Task:
            return NotImplemented
        if self.source and self.source == other.source:  # same parsed head line: compare the rest
            return self.body == other.body and self.lead == other.lead and self.depth == other.depth
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def replace(self, **changes: object) -> "Task":
        changes.setdefault("source", "")
        return super().replace(**changes)  # type: ignore[return-value]

    @property
    def done(self) -> bool:
        return self.state in "xX"

    @property
    def optional(self) -> bool:
        """Kiro's optional task: a star right after the box (``- [ ]* 3.2 ...``)."""
        return self.gap.startswith("*")

    @property
    def indent(self) -> str:
        """Leading whitespace of the head line."""
        return self.prefix[: len(self.prefix) - len(self.prefix.lstrip(" \t"))]

    def head(self) -> str:
        return f"{self.prefix}[{self.state}]{self.gap}{self.label}{self.label_sep}{self.title}{self.eol}"

    def render(self) -> str:
        return "".join(self.lead) + self.head() + "".join(self.body)


# A line that opens something of its own inside a task (a detail bullet, a heading, a fence,
# a table, a quote, HTML) rather than going on with the title's paragraph.
_BLOCK_START = lazy(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|#|```|~~~|\||>|<")


def wrapped(task: Task) -> int:
    """How many of the task's detail lines go on with its title (a title that wraps): up to a
    blank line or a line that opens something else."""
    n = 0
    for line in task.body:
        text = line.strip()
        if not text or _BLOCK_START.match(text):
            break
        n += 1
    return n


def digest(task: Task) -> str:
    """A short hash of the task's own lines (head and details, not the blank lines before it):
    what a task's version is made of, kept by the store."""
    from .hashes import blake2b

    h = blake2b(digest_size=5)
    h.update(task.head().encode("utf-8", "surrogateescape"))
    for line in task.body:
        h.update(line.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


class Block(Record):
    """Opaque lines kept as they are; a block with no lines holds the blank lines at the end."""

    __slots__ = ("lead", "lines", "line")
    _compare = ("lead", "lines")

    def __init__(self, lead: tuple[str, ...], lines: tuple[str, ...], line: int = 0) -> None:
        self.lead = lead
        self.lines = lines
        self.line = line

    def render(self) -> str:
        return "".join(self.lead) + "".join(self.lines)


if TYPE_CHECKING:
    Unit = Union[Heading, Task, Block]


class Document(Record):
    """A parsed task file. ``reference`` tells whether markdown-it (not the fast path) parsed it.

    ``derived`` keeps what was computed from the units (``sections``, ``events``' identity
    texts), so that a history walk that makes each version from the one before (the quick
    path) hands it on instead of computing it again for every commit. It is not compared."""

    __slots__ = ("bom", "units", "reference", "derived")
    _compare = ("bom", "units", "reference")

    def __init__(self, bom: bool, units: tuple[Unit, ...], reference: bool = False,
                 derived: dict[str, object] | None = None) -> None:
        self.bom = bom
        self.units = units
        self.reference = reference
        self.derived = {} if derived is None else derived

    @property
    def tasks(self) -> list[Task]:
        return [u for u in self.units if type(u) is Task]

    def replace(self, **changes: object) -> "Record":
        """A copy with some fields changed; what was derived from the units is not kept."""
        changes.setdefault("derived", {})
        return super().replace(**changes)

    def task_count(self) -> int:
        """``len(self.tasks)``, counted in C."""
        return tasks_before(self.units, len(self.units))

    def sections(self) -> list[tuple[str, ...]]:
        """``section_paths`` of the units, computed once (shared: not to be changed)."""
        paths = self.derived.get("sections")
        if paths is None:
            paths = self.derived["sections"] = section_paths(self.units)
        return paths  # type: ignore[return-value]

    def render(self) -> str:
        return "".join(u.render() for u in self.units)


def tasks_before(units: Sequence[Unit], end: int) -> int:
    """How many of ``units[:end]`` are tasks (the task index of unit ``end``), counted in C."""
    return list(map(type, units[:end])).count(Task)


def section_paths(units: Sequence[Unit]) -> list[tuple[str, ...]]:
    """For each unit, the texts of the headings it sits under (outermost first)."""
    stack: list[tuple[int, str]] = []
    paths: list[tuple[str, ...]] = []
    current: tuple[str, ...] = ()  # the path below the last heading, built once per heading
    for unit in units:
        if type(unit) is Heading:
            while stack and stack[-1][0] >= unit.level:
                stack.pop()
            paths.append(tuple(t for _, t in stack))
            stack.append((unit.level, unit.text))
            current = tuple(t for _, t in stack)
        else:
            paths.append(current)
    return paths
