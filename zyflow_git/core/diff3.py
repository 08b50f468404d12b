"""A line-level three-way merge (diff3) for the opaque parts of a unit: prose, detail lines."""

from __future__ import annotations

from .record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence, Union


class Clash(Record):
    """Lines both sides changed differently."""

    __slots__ = ("ours", "base", "theirs")
    ours: tuple[str, ...]
    base: tuple[str, ...]
    theirs: tuple[str, ...]


if TYPE_CHECKING:
    Chunk = Union[tuple[str, ...], Clash]


def _matches(base: Sequence[str], other: Sequence[str]) -> dict[int, int]:
    from difflib import SequenceMatcher  # imported when two sides both changed some lines

    sm = SequenceMatcher(None, base, other, autojunk=False)
    out: dict[int, int] = {}
    for block in sm.get_matching_blocks():
        for k in range(block.size):
            out[block.a + k] = block.b + k
    return out


def merge3(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[Chunk]:
    """Merge three line sequences; clean runs come as tuples, overlapping changes as ``Clash``."""
    base, ours, theirs = tuple(base), tuple(ours), tuple(theirs)
    if ours == theirs or theirs == base:
        return [ours] if ours else []
    if ours == base:
        return [theirs] if theirs else []
    ma, mb = _matches(base, ours), _matches(base, theirs)
    out: list[Chunk] = []
    lo = la = lb = 0
    while True:
        i = 0
        while lo + i < len(base) and ma.get(lo + i) == la + i and mb.get(lo + i) == lb + i:
            i += 1
        if i:
            _emit(out, base[lo:lo + i])
            lo, la, lb = lo + i, la + i, lb + i
            continue
        nxt = next((o for o in range(lo, len(base)) if o in ma and o in mb and ma[o] >= la and mb[o] >= lb), None)
        if nxt is None:
            _resolve(out, base[lo:], ours[la:], theirs[lb:])
            return out
        _resolve(out, base[lo:nxt], ours[la:ma[nxt]], theirs[lb:mb[nxt]])
        lo, la, lb = nxt, ma[nxt], mb[nxt]


def _emit(out: list[Chunk], lines: tuple[str, ...]) -> None:
    if not lines:
        return
    if out and isinstance(out[-1], tuple):
        out[-1] = out[-1] + lines
    else:
        out.append(lines)


def _resolve(out: list[Chunk], b: tuple[str, ...], o: tuple[str, ...], t: tuple[str, ...]) -> None:
    if o == b:
        _emit(out, t)
    elif t == b or o == t:
        _emit(out, o)
    else:
        out.append(Clash(o, b, t))
