"""Markdown tables merged row by row, keyed by their first cell (GSD's trace and progress tables).

A table here is a run of lines that start with ``|``, its second line a delimiter row. Rows
are keyed by their first cell (white space and padding aside); the header and delimiter are
records of their own. A row added on either side is kept in its place, a row changed on one
side wins, a row changed two ways is a conflict around that row alone, unless the two differ
in one status cell whose words are in a known progress order: then the row further along wins
(GSD's progress tables: "3/4 | In Progress" over "0/4 | Planned"). Re-padding a row (column
alignment) is not a change. A table whose keys repeat, or whose first column is not a
key, merges by line as before.
"""

from __future__ import annotations

from .diff3 import Clash
from .keyed import merge_keyed, unique_keys
from .lazyre import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

# Blanks are taken possessively (*+): two blank runs could meet where an optional part between
# them is empty, and a line of blanks was split between them every way (quadratic: 200,000
# blanks, ~37 minutes). Blanks can only ever be read as blanks, so the lines it reads are the same.
_DELIMITER = lazy(r"^[ \t]*+\|?(?:[ \t]*+:?-+:?[ \t]*+\|)+(?:[ \t]*+:?-+:?[ \t]*+)?\|?[ \t]*+\r?\n?$")
_CELL_SEPARATOR = lazy(r"(?<!\\)\|")
_FIGURES = lazy(r"^(?:\d+\s*/\s*(?:\d+|TBD|\?)|\d{4}-\d{2}-\d{2}|-|—|)$")


def is_table_line(line: str) -> bool:
    return line.lstrip(" ").startswith("|")


def cells(row: str) -> tuple[str, ...]:
    """A row's cells, trimmed (escaped pipes stay inside their cell)."""
    body = row.strip().strip("\r\n").strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return tuple(c.strip() for c in _CELL_SEPARATOR.split(body))


def records(lines: Sequence[str]) -> list[tuple[str, str]] | None:
    """A table's records: header, delimiter, then one per row keyed by its first cell."""
    if len(lines) < 2 or not _DELIMITER.match(lines[1]):
        return None
    out = [("\0header", lines[0]), ("\0delimiter", lines[1])]
    for line in lines[2:]:
        if not is_table_line(line):
            return None
        key = cells(line)[0]
        if not key:
            return None
        out.append((key, line))
    return out if unique_keys(out) else None


def same_row(a: str, b: str) -> bool:
    """Equal but for padding: column alignment is not a change."""
    return a == b or cells(a) == cells(b)


# Progress words of status columns, least first (GSD ROADMAP.md, spec-kit and Backlog.md tables).
PROGRESS = ("not started", "planned", "pending", "to do", "todo", "in progress", "in review", "review",
            "complete", "completed", "done")


def furthest_row(base: str | None, ours: str, theirs: str) -> str | None:
    """A row both sides changed: where the only cell in which they disagree on progress holds a
    progress word on both sides, the row of the side further along (its other cells with it:
    they describe that state, like "8/8" and the completion date); else None (a conflict)."""
    o, t = cells(ours), cells(theirs)
    if len(o) != len(t) or o[0] != t[0]:
        return None
    rank = {word: i for i, word in enumerate(PROGRESS)}
    ranked = [(rank[a.casefold()], rank[b.casefold()]) for a, b in zip(o, t)
              if a != b and a.casefold() in rank and b.casefold() in rank]
    if len(ranked) != 1 or ranked[0][0] == ranked[0][1]:
        return None
    winner, loser = (o, t) if ranked[0][0] > ranked[0][1] else (t, o)
    if base is not None:  # the other side's own edits (a reworded description) must not be lost
        b = cells(base)
        if len(b) != len(o) or any(lc != bc and lc != wc for lc, bc, wc in zip(loser, b, winner)
                                   if not (lc.casefold() in rank and wc.casefold() in rank) and _is_own_edit(lc, bc)):
            return None
    return ours if winner is o else theirs


def _is_own_edit(cell: str, base: str) -> bool:
    """A cell the losing side changed in words, not only in progress figures ("0/8" -> "3/8",
    a date, "-"): those follow the status."""
    return not (_FIGURES.match(cell) and _FIGURES.match(base))


def merge_table(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str | Clash] | None:
    """The merged table, row texts and clashes; None when it cannot be merged by key."""
    recs = [records(v) for v in (base, ours, theirs)]
    if any(r is None for r in recs):
        return None
    return merge_keyed(recs[0], recs[1], recs[2], lambda _key, b, o, t: furthest_row(b, o, t), same=same_row)  # type: ignore[arg-type]
