"""The task-file model: a document is a flat sequence of units that render back to its bytes.

A unit is a heading, a task (its checkbox line and the detail lines under it) or an opaque
block (prose, tables, fences, comments, front matter). Every unit carries ``lead``: the blank
lines before it, so concurrent inserts never glue paragraphs together or double blank lines.
Nesting is carried by each task's ``depth`` and ``parent``; sections by heading order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Heading:
    """An ATX (``## Title``) or setext heading."""

    lead: tuple[str, ...]
    lines: tuple[str, ...]
    level: int
    text: str
    line: int = 0

    def render(self) -> str:
        return "".join(self.lead) + "".join(self.lines)


@dataclass(frozen=True)
class Task:
    """A list item whose paragraph starts with a checkbox, with the lines that belong to it.

    The head line is ``prefix + "[" + state + "]" + gap + label + label_sep + title + eol``.
    """

    lead: tuple[str, ...]
    prefix: str
    state: str
    gap: str
    label: str
    label_sep: str
    title: str
    eol: str
    body: tuple[str, ...] = ()
    depth: int = 0
    line: int = 0
    parent: int | None = field(default=None, compare=False)

    @property
    def done(self) -> bool:
        return self.state in "xX"

    @property
    def indent(self) -> str:
        """Leading whitespace of the head line."""
        return self.prefix[: len(self.prefix) - len(self.prefix.lstrip(" \t"))]

    def head(self) -> str:
        return f"{self.prefix}[{self.state}]{self.gap}{self.label}{self.label_sep}{self.title}{self.eol}"

    def render(self) -> str:
        return "".join(self.lead) + self.head() + "".join(self.body)


@dataclass(frozen=True)
class Block:
    """Opaque lines kept as they are; a block with no lines holds the blank lines at the end."""

    lead: tuple[str, ...]
    lines: tuple[str, ...]
    line: int = 0

    def render(self) -> str:
        return "".join(self.lead) + "".join(self.lines)


Unit = Union[Heading, Task, Block]


@dataclass(frozen=True)
class Document:
    """A parsed task file. ``reference`` tells whether markdown-it (not the fast path) parsed it."""

    bom: bool
    units: tuple[Unit, ...]
    reference: bool = False

    @property
    def tasks(self) -> list[Task]:
        return [u for u in self.units if isinstance(u, Task)]

    def render(self) -> str:
        return "".join(u.render() for u in self.units)


def section_paths(units: tuple[Unit, ...] | list[Unit]) -> list[tuple[str, ...]]:
    """For each unit, the texts of the headings it sits under (outermost first)."""
    stack: list[tuple[int, str]] = []
    paths: list[tuple[str, ...]] = []
    for unit in units:
        if isinstance(unit, Heading):
            while stack and stack[-1][0] >= unit.level:
                stack.pop()
            paths.append(tuple(t for _, t in stack))
            stack.append((unit.level, unit.text))
        else:
            paths.append(tuple(t for _, t in stack))
    return paths


def section_indexes(units: tuple[Unit, ...] | list[Unit]) -> list[int]:
    """For each unit, the index of the nearest heading above it (-1 for the document root)."""
    current = -1
    out: list[int] = []
    for i, unit in enumerate(units):
        out.append(current)
        if isinstance(unit, Heading):
            current = i
    return out
