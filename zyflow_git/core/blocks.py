"""An opaque block that a line merge could not merge: its metadata merged by structure.

The block is cut into its front matter (when it opens the document), its tables and the text
between them. When all three versions cut alike (same number of tables), the front matter
merges key by key (``frontmatter``), each table row by row (``tables``), and the text line by
line, where a clash of one dated "last updated" line takes the later date. Otherwise, or where
a part cannot be merged by key, the part merges by line as before.
"""

from __future__ import annotations

from .diff3 import Clash, merge3
from .frontmatter import DATE, Rules, merge_front_matter, when
from .lazyre import lazy
from .tables import is_table_line, merge_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

    from .diff3 import Chunk

_UPDATED = lazy(r"(?i)updated|modified|last[ _-]?(?:changed|edited|activity)|as of")


def merge_block(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str], rules: Rules,
                front: bool = False) -> list[Chunk]:
    """The block's merged chunks: tuples of lines, and ``Clash``es where a part changed two ways."""
    out: list[Chunk] = []
    rests: tuple[Sequence[str], ...] = (base, ours, theirs)
    if front:
        merged = merge_front_matter(base, ours, theirs, rules)
        if merged is not None:
            pieces, rests = merged
            out += [(p,) if isinstance(p, str) else p for p in pieces]
    parts = [_cut(r) for r in rests]
    if len({len(p) for p in parts}) != 1:
        return out + _text(*rests)
    for k, (pb, po, pt) in enumerate(zip(*parts)):
        table = merge_table(pb, po, pt) if k % 2 else None
        if table is not None:
            out += [(p,) if isinstance(p, str) else p for p in table]
        else:
            out += _text(pb, po, pt)
    return out


def _cut(lines: Sequence[str]) -> list[Sequence[str]]:
    """Text, table, text, table, ..., text (each possibly empty)."""
    parts: list[Sequence[str]] = []
    start, i = 0, 0
    while i < len(lines):
        if is_table_line(lines[i]):
            j = i
            while j < len(lines) and is_table_line(lines[j]):
                j += 1
            parts += [lines[start:i], lines[i:j]]
            start = i = j
        else:
            i += 1
    parts.append(lines[start:])
    return parts


def _text(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[Chunk]:
    return [_later_date(c) if isinstance(c, Clash) else c for c in merge3(base, ours, theirs)]


def _later_date(clash: Clash) -> Chunk:
    """One "last updated" line changed two ways, only in its dates: the later one."""
    if not (len(clash.ours) == len(clash.base) == len(clash.theirs) == 1):
        return clash
    o, b, t = clash.ours[0], clash.base[0], clash.theirs[0]
    if not _UPDATED.search(o) or not (DATE.sub("", o) == DATE.sub("", b) == DATE.sub("", t)):
        return clash
    do, dt = [when(m.group()) for m in DATE.finditer(o)], [when(m.group()) for m in DATE.finditer(t)]
    if not do or len(do) != len(dt) or None in do or None in dt:
        return clash
    try:
        return (o,) if do >= dt else (t,)
    except TypeError:  # one with a zone, one without
        return clash
