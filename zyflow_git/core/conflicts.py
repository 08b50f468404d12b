"""Conflict markers: writing them around one unit, and reading them back (for ``resolve``)."""

from __future__ import annotations

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


def holds_regions(data: bytes, size: int = 7) -> bool:
    """Whether a file holds a conflict region: an opening marker line. (A lone ``=======`` is a
    Markdown setext heading underline, and a lone closing marker is text to git too.)"""
    return marker_line(data, b"<" * size)


def marker_line(data: bytes, marker: bytes) -> bool:
    """Whether a line is ``marker`` alone or followed by a space (as git writes markers).
    (bytes.find, not a regex: compiling one costs the merge driver's start more than the search.)"""
    n, line = len(marker), b"\n" + marker
    pos = 0 if data.startswith(marker) else data.find(line) + 1  # 0: not found
    while pos or data.startswith(marker):
        after = data[pos + n:pos + n + 2]
        if after[:1] in (b" ", b"\n", b"") or after == b"\r\n" or (after == b"\r" and pos + n + 1 == len(data)):
            return True
        pos = data.find(line, pos) + 1
        if not pos:
            return False
    return False


def count_regions(text: str, size: int = 7) -> int:
    """How many conflict regions a merged text holds."""
    import re

    start = re.compile(r"^" + "<" * size + r"(?: |$)")
    return sum(1 for line in split_lines(text) if start.match(split_eol(line)[0]))


class Region(Record):
    """One conflict region read back: each side's lines, the base's (None when the markers
    carried no base section), and the region's own text, markers included."""

    __slots__ = ("ours", "base", "theirs", "text")
    ours: str
    base: str | None
    theirs: str
    text: str


def read_regions(text: str, size: int = 7) -> list[str | Region]:
    """A text holding git conflict markers as shared runs of text and ``Region``s, in order."""
    lt, bar, eq, gt = ("<" * size, "|" * size, "=" * size, ">" * size)
    out: list[str | Region] = []
    shared: list[str] = []
    parts: dict[str, list[str]] = {}
    raw: list[str] = []
    state = None
    for line in split_lines(text):
        content = split_eol(line)[0]
        if state is None:
            if content == lt or content.startswith(lt + " "):
                if shared:
                    out.append("".join(shared))
                    shared = []
                state, parts, raw = "ours", {"ours": []}, [line]
            else:
                shared.append(line)
            continue
        raw.append(line)
        if state == "ours" and (content == bar or content.startswith(bar + " ")):
            state, parts["base"] = "base", []
        elif state in ("ours", "base") and content == eq:
            state, parts["theirs"] = "theirs", []
        elif state == "theirs" and (content == gt or content.startswith(gt + " ")):
            base = "".join(parts["base"]) if "base" in parts else None
            out.append(Region("".join(parts["ours"]), base, "".join(parts["theirs"]), "".join(raw)))
            state = None
        else:
            parts[state].append(line)
    if state is not None:
        raise ValueError("unterminated conflict region")
    if shared:
        out.append("".join(shared))
    return out
