"""Our marked section in files we share with their owners (.gitattributes, hook scripts).

A section is the lines from ``BEGIN`` to the first ``END`` after it, each a whole line. What we
write inside never holds either marker as a line (the patterns that go in are validated), so
the section ends where we ended it.
"""

from __future__ import annotations

BEGIN = "# BEGIN zyflow-git (managed by `zyflow-git install`; `zyflow-git uninstall` removes it)"
END = "# END zyflow-git"


def find(text: str) -> tuple[list[str], int, int] | None:
    """(the text's lines, the BEGIN line's index, the END line's index), or None."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip("\r\n") == BEGIN), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip("\r\n") == END), None)
    return (lines, start, end) if end is not None else None


def replace_section(text: str, body: list[str] | None) -> str:
    """``text`` with our marked section replaced by ``body`` (removed when None), else appended."""
    eol = "\r\n" if "\r\n" in text else "\n"
    section = [BEGIN + eol, *(b + eol for b in body), END + eol] if body is not None else []
    found = find(text)
    if found is not None:
        lines, start, end = found
        return "".join(lines[:start] + section + lines[end + 1:])
    if body is None:
        return text
    if text and not text.endswith("\n"):
        text += eol
    return text + "".join(section)
