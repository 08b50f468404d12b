"""Conflict markers: writing them around one unit, and reading them back (for ``resolve``)."""

from __future__ import annotations

import re
from .record import Record
from .text import split_eol, split_lines


class Markers(Record):
    """How to write a conflict: marker size (%L), style (merge, diff3, zdiff3) and labels."""

    __slots__ = ("size", "style", "ours_label", "base_label", "theirs_label")

    def __init__(self, size: int = 7, style: str = "merge", ours_label: str = "ours",
                 base_label: str = "base", theirs_label: str = "theirs") -> None:
        self.size = size
        self.style = style
        self.ours_label = ours_label
        self.base_label = base_label
        self.theirs_label = theirs_label

    def wrap(self, ours: str, base: str, theirs: str, eol: str) -> str:
        """One conflict region, git style; every section ends with a line ending."""
        out = [f"{'<' * self.size} {self.ours_label}{eol}", _terminated(ours, eol)]
        if self.style in ("diff3", "zdiff3"):
            out += [f"{'|' * self.size} {self.base_label}{eol}", _terminated(base, eol)]
        out += [f"{'=' * self.size}{eol}", _terminated(theirs, eol), f"{'>' * self.size} {self.theirs_label}{eol}"]
        return "".join(out)


def _terminated(text: str, eol: str) -> str:
    return text if not text or text.endswith(("\n", "\r")) else text + eol


def count_regions(text: str, size: int = 7) -> int:
    """How many conflict regions a merged text holds."""
    start = re.compile(r"^" + "<" * size + r"(?: |$)")
    return sum(1 for line in split_lines(text) if start.match(split_eol(line)[0]))


class Sides(Record):
    """The three versions a file with conflict markers stands for (ours, base, theirs, regions).
    Where a region carried no base section (the default style), ``base`` lacks that hunk:
    both sides read as added there."""

    __slots__ = ("ours", "base", "theirs", "regions")
    ours: str
    base: str
    theirs: str
    regions: int


def split_markers(text: str, size: int = 7) -> Sides:
    """Take a text holding git conflict markers apart into ours, base and theirs."""
    lt, bar, eq, gt = ("<" * size, "|" * size, "=" * size, ">" * size)
    ours: list[str] = []
    base: list[str] = []
    theirs: list[str] = []
    state = None
    regions = 0
    for line in split_lines(text):
        content = split_eol(line)[0]
        if state is None and (content == lt or content.startswith(lt + " ")):
            state, regions = "ours", regions + 1
            continue
        if state == "ours" and (content == bar or content.startswith(bar + " ")):
            state = "base"
            continue
        if state in ("ours", "base") and content == eq:
            state = "theirs"
            continue
        if state == "theirs" and (content == gt or content.startswith(gt + " ")):
            state = None
            continue
        if state is None:
            ours.append(line)
            base.append(line)
            theirs.append(line)
        elif state == "ours":
            ours.append(line)
        elif state == "base":
            base.append(line)
        else:
            theirs.append(line)
    if state is not None:
        raise ValueError("unterminated conflict region")
    return Sides("".join(ours), "".join(base), "".join(theirs), regions)
