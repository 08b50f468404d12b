"""Bytes <-> lines without loss: BOM, line endings, missing final newline, invalid UTF-8."""

from __future__ import annotations

import re
from .record import Record

BOM = b"\xef\xbb\xbf"

# markdown-it splits lines on \r\n, \r and \n only (str.splitlines() splits on more).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_EOL = re.compile(r"(\r\n|\r|\n)\Z")


class Text(Record):
    """A decoded file: whether it had a BOM, and its lines, each with its own line ending."""

    __slots__ = ("bom", "lines")

    def __init__(self, bom: bool, lines: tuple[str, ...]) -> None:
        self.bom = bom
        self.lines = lines

    def render(self) -> str:
        return "".join(self.lines)


def decode(data: bytes) -> Text:
    """Decode bytes as UTF-8; invalid bytes survive as surrogate escapes and encode back exactly."""
    bom = data.startswith(BOM)
    if bom:
        data = data[len(BOM):]
    return Text(bom, split_lines(data.decode("utf-8", "surrogateescape")))


def encode(bom: bool, text: str) -> bytes:
    """The inverse of :func:`decode`."""
    body = text.encode("utf-8", "surrogateescape")
    return BOM + body if bom else body


# Characters str.splitlines() also breaks at; markdown-it does not.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def split_lines(text: str) -> tuple[str, ...]:
    """Split into lines that keep their endings, the way markdown-it counts lines."""
    if _OTHER_BREAKS.search(text) is None:
        return tuple(text.splitlines(keepends=True))  # same lines, computed in C
    return tuple(_LINE.findall(text))


def split_eol(line: str) -> tuple[str, str]:
    """Return (content, line ending) of one line."""
    m = _EOL.search(line)
    if m is None:
        return line, ""
    return line[: m.start()], m.group(1)


def is_blank(line: str) -> bool:
    """True for a line holding only spaces and tabs (CommonMark's blank line)."""
    return line.strip(" \t\r\n") == ""


def dominant_eol(lines: tuple[str, ...] | list[str]) -> str:
    """The most common line ending of a text, "\\n" when it has none."""
    text = "".join(lines)
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] else "\n"


def with_eol(line: str, eol: str) -> str:
    """The line with its ending replaced by ``eol`` (a line without ending keeps none)."""
    content, old = split_eol(line)
    return content + eol if old else content
