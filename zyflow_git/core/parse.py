"""Parse a task file into a lossless ``Document`` and find the parts of a task's line."""

from __future__ import annotations

from .fastscan import fast_structure
from .lazyre import lazy
from .memo import memo
from .model import Block, Document, Heading, Task
from .structure import TASK_HEAD, heading_text
from .text import Text, decode, split_eol

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import Unit
    from .structure import Structure

# A label is position numbering: "1.", "1.2", "1.2.3", "task-1-2:", "T047:", "Group 1-1:".
LABEL = lazy(
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
    # (start, end, heading level or -1, depth, parent), in line order
    starts: list[tuple[int, int, int, int, int | None]] = [(h.start, h.end, h.level, 0, None) for h in structure.headings]
    starts += [(t.start, t.end, -1, t.depth, t.parent) for t in structure.tasks]
    starts.sort()
    starts.append((len(lines), len(lines), 0, 0, None))  # sentinel

    units: list[Unit] = []
    append = units.append
    lead: tuple[str, ...] = ()
    pos = 0
    for k in range(len(starts) - 1):
        start, end, level, depth, parent = starts[k]
        if pos < start:
            lead = _opaque(lines, pos, start, lead, append)
        stop = min(end, starts[k + 1][0])
        trail = stop
        while trail > start + 1 and not lines[trail - 1].strip(" \t\r\n"):
            trail -= 1
        if level < 0:
            head = lines[start]
            append(Task(lead, *split_head(head), lines[start + 1:trail], depth, start, parent, head))
        else:
            own = lines[start:trail]
            append(Heading(lead, own, level, heading_text(own), start))
        lead = lines[trail:stop]
        pos = stop
    lead = _opaque(lines, pos, len(lines), lead, append)
    if lead:
        append(Block(lead, (), len(lines) - len(lead)))
    return Document(text.bom, tuple(units), used_reference)


def _opaque(lines: tuple[str, ...], pos: int, upto: int, lead: tuple[str, ...], append) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """Append the opaque block in lines[pos:upto] (leading blanks join ``lead``); return the
    trailing blank lines, which lead the next unit."""
    first = pos
    while first < upto and not lines[first].strip(" \t\r\n"):
        first += 1
    if first == upto:
        return lead + lines[pos:upto]
    last = upto
    while not lines[last - 1].strip(" \t\r\n"):
        last -= 1
    append(Block(lead + lines[pos:first], lines[first:last], first))
    return lines[last:upto]


@memo(16384)
def split_head(head: str) -> tuple[str, str, str, str, str, str, str]:
    """(prefix, state, gap, label, label_sep, title, eol) of a task's first line.

    Cached: the three versions of a merge share most of their lines.
    """
    content, eol = split_eol(head)
    m = TASK_HEAD.match(content)
    if m is None:
        raise ValueError(f"not a task line: {head!r}")
    prefix, state, rest = m.group(1), m.group(2), m.group(3)
    star = "*" if rest.startswith("*") else ""  # Kiro's optional task: kept in the gap
    spaced = rest[len(star):]
    gap = star + spaced[: len(spaced) - len(spaced.lstrip(" \t"))]
    after = rest[len(gap):]
    label, sep, title = "", "", after
    if gap:
        lm = LABEL.match(after)
        if lm is not None and (lm.group("sep") or lm.end() == len(after)):
            label, sep, title = lm.group("label"), lm.group("sep"), after[lm.end():]
    return prefix, state, gap, label, sep, title, eol
