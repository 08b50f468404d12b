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


# difflib's matcher (core.similar) is quadratic on long runs of repeated items (autojunk is
# off: a task file's repeated lines are content). Past this many pairs, after the common ends are taken
# off, the merge declines and the caller uses git's line merge (a 10,000-line fence edited on
# both sides took 14 s).
MAX_PAIRS = 4_000_000


class TooBig(Exception):
    """The sequences are too long to align within the budget."""


def common_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """How many items ``a`` and ``b`` share at their start, and then at their end."""
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    return head, tail


def _matches(base: Sequence[str], other: Sequence[str]) -> dict[int, int]:
    """Which item of ``other`` each matched item of ``base`` is (a longest common subsequence,
    as difflib finds it, after the common start and end are paired off directly)."""
    head, tail = common_ends(base, other)
    out = {k: k for k in range(head)}
    mid_b, mid_o = base[head:len(base) - tail], other[head:len(other) - tail]
    if mid_b and mid_o:
        if len(mid_b) * len(mid_o) > MAX_PAIRS:
            raise TooBig(f"{len(mid_b):,} x {len(mid_o):,} items to align")
        from .similar import matching_blocks  # imported when two sides both changed some lines

        for i, j, size in matching_blocks(mid_b, mid_o):
            for k in range(size):
                out[head + i + k] = head + j + k
    for k in range(tail):
        out[len(base) - 1 - k] = len(other) - 1 - k
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
