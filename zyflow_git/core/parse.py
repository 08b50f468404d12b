"""Parse a task file into a lossless ``Document`` and find the parts of a task's line."""

from __future__ import annotations

import re

from .fastscan import fast_structure
from .model import Block, Document, Heading, Task, Unit
from .structure import TASK_HEAD, Structure, heading_text
from .text import Text, decode, is_blank, split_eol

# A label is position numbering: "1.", "1.2", "1.2.3", "task-1-2:", "T047:", "Group 1-1:".
LABEL = re.compile(
    r"(?P<label>(?:\d+(?:\.\d+)+\.?|\d+\.|[A-Za-z]+(?:-\d+)+:?|T\d+:?|\d+(?:\.\d+)*\)))"
    r"(?P<sep>[ \t]+|$)"
)


def parse_bytes(data: bytes, *, reference: bool = False) -> Document:
    """Parse raw file bytes (see :func:`parse_text`)."""
    return parse_text(decode(data), reference=reference)


def parse(source: str, *, reference: bool = False) -> Document:
    """Parse a str (no BOM handling beyond a leading U+FEFF)."""
    bom = source.startswith("\ufeff")
    return parse_text(Text(bom, _lines(source[1:] if bom else source)), reference=reference)


def _lines(source: str) -> tuple[str, ...]:
    from .text import split_lines

    return split_lines(source)


def structure_of(lines: tuple[str, ...], *, reference: bool = False) -> tuple[Structure, bool]:
    """The structure from the fast scanner, or from markdown-it where the scanner is unsure."""
    if not reference:
        found = fast_structure(lines)
        if found is not None:
            return found, False
    from .reference import reference_structure

    return reference_structure(lines), True


def parse_text(text: Text, *, reference: bool = False) -> Document:
    """Split a decoded text into units; ``render`` of the result gives back the same text."""
    lines = text.lines
    structure, used_reference = structure_of(lines, reference=reference)
    starts: list[tuple[int, int, object]] = [(h.start, h.end, h) for h in structure.headings]
    starts += [(t.start, t.end, t) for t in structure.tasks]
    starts.sort(key=lambda s: s[0])

    units: list[Unit] = []
    lead: list[str] = []
    pos = 0

    def opaque(upto: int) -> None:
        nonlocal pos, lead
        while pos < upto and is_blank(lines[pos]):
            lead.append(lines[pos])
            pos += 1
        if pos == upto:
            return
        last = upto
        while is_blank(lines[last - 1]):
            last -= 1
        units.append(Block(tuple(lead), lines[pos:last], pos))
        lead = list(lines[last:upto])
        pos = upto

    for k, (start, end, span) in enumerate(starts):
        opaque(start)
        stop = min(end, starts[k + 1][0]) if k + 1 < len(starts) else end
        own = lines[start:stop]
        trail = len(own)
        while trail > 1 and is_blank(own[trail - 1]):
            trail -= 1
        if hasattr(span, "level"):
            units.append(Heading(tuple(lead), own[:trail], span.level, heading_text(own[:trail]), start))  # type: ignore[attr-defined]
        else:
            units.append(make_task(tuple(lead), own[0], own[1:trail], span.depth, start, span.parent))  # type: ignore[attr-defined]
        lead = list(own[trail:])
        pos = stop
    opaque(len(lines))
    if lead:
        units.append(Block(tuple(lead), (), len(lines) - len(lead)))
    return Document(text.bom, tuple(units), used_reference)


def make_task(
    lead: tuple[str, ...],
    head: str,
    body: tuple[str, ...] = (),
    depth: int = 0,
    line: int = 0,
    parent: int | None = None,
) -> Task:
    """Build a Task from its head line (which must match ``TASK_HEAD``)."""
    content, eol = split_eol(head)
    m = TASK_HEAD.match(content)
    if m is None:
        raise ValueError(f"not a task line: {head!r}")
    prefix, state, rest = m.group(1), m.group(2), m.group(3) or ""
    gap = rest[: len(rest) - len(rest.lstrip(" \t"))]
    after = rest[len(gap):]
    label, sep, title = "", "", after
    if gap:
        lm = LABEL.match(after)
        if lm is not None and (lm.group("sep") or lm.end() == len(after)):
            label, sep, title = lm.group("label"), lm.group("sep"), after[lm.end():]
    return Task(lead, prefix, state, gap, label, sep, title, eol, body, depth, line, parent)
