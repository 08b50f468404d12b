"""Bytes <-> lines without loss: BOM, line endings, missing final newline, invalid UTF-8."""

from __future__ import annotations

from .lazyre import lazy
from .record import Record

BOM = b"\xef\xbb\xbf"

# markdown-it splits lines on \r\n, \r and \n only (str.splitlines() splits on more).
_LINE = lazy(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


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


# Characters str.splitlines() also breaks at; markdown-it does not. (Searched for with str
# methods: compiling this class costs the merge driver ~1 ms at every start.)
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def split_lines(text: str) -> tuple[str, ...]:
    """Split into lines that keep their endings, the way markdown-it counts lines."""
    if not any(c in text for c in _OTHER_BREAKS[:5 if text.isascii() else 8]):
        return tuple(text.splitlines(keepends=True))  # same lines, computed in C
    return tuple(_LINE.findall(text))


def split_eol(line: str) -> tuple[str, str]:
    """Return (content, line ending) of one line."""
    if line.endswith("\n"):
        return (line[:-2], "\r\n") if line.endswith("\r\n") else (line[:-1], "\n")
    if line.endswith("\r"):
        return line[:-1], "\r"
    return line, ""


def is_blank(line: str) -> bool:
    """True for a line holding only spaces and tabs (CommonMark's blank line)."""
    return line.strip(" \t\r\n") == ""


def dominant_eol(lines: tuple[str, ...] | list[str]) -> str:
    """The most common line ending of a text, "\\n" when it has none."""
    text = "".join(lines)
    if "\r" not in text:  # (one fast scan answers the common case)
        return "\n"
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] else "\n"


def with_eol(line: str, eol: str) -> str:
    """The line with its ending replaced by ``eol`` (a line without ending keeps none)."""
    content, old = split_eol(line)
    return content + eol if old else content
