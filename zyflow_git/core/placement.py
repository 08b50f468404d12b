"""Placement: every unit a merge writes must sit in the section its side put it in.

In a flat list of units, "after the other side's inserts" can mean "under the section the
other side just inserted". The order merge avoids that (``order._merge_chunk``); this checks
the result, so that an ambiguous placement becomes git's line merge rather than a guess.
"""

from __future__ import annotations

from .model import Block, Heading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import Unit

    Id = tuple[str, int]


def has_content(u: Unit | None) -> bool:
    """A unit that says something (not the blank block at the end of a file)."""
    return u is not None and (not isinstance(u, Block) or bool(u.lines))


def _level(u: Unit | None) -> int | None:
    return u.level if isinstance(u, Heading) else None


def _section_paths(ids: list[Id], level_of) -> dict[Id, tuple[Id, ...]]:  # type: ignore[no-untyped-def]
    """For each id, the ids of the headings it sits under."""
    stack: list[tuple[int, Id]] = []
    out: dict[Id, tuple[Id, ...]] = {}
    for x in ids:
        level = level_of(x)
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
        out[x] = tuple(h for _, h in stack)
        if level is not None:
            stack.append((level, x))
    return out


def sections_fixed(levels: dict[Id, int], anchors: list[Id], sides: tuple[list[Id], ...]) -> bool:
    """True when every heading is in all three versions and none moved (all are anchors): then
    no chunk spans a heading, and every unit is placed between the headings its side put it
    between (the common case, which skips the check below)."""
    anchored = set(anchors)
    return all(x in anchored for x in levels) and all(sum(1 for x in ids if x in levels) == len(levels) for ids in sides)


def misplaced(order: list[Id], sides: tuple[list[Id], ...], unit: dict[Id, list[Unit | None]],
              levels: dict[Id, int]) -> bool:
    """Whether a task or block would sit in another section than the side that placed it put
    it in (headings the merge dropped aside): then the merge is not to be trusted."""
    merged_set = set(order)
    merged = _section_paths(order, levels.get)
    side_paths = [_section_paths(ids, lambda x, s=side: _level(unit[x][s])) for side, ids in enumerate(sides)]
    for x in order:
        b, o, t = unit[x]
        if isinstance(o or t, Heading) or not has_content(o or t):
            continue
        pb, po, pt = (side_paths[i].get(x) if unit[x][i] is not None else None for i in range(3))
        if po is None or (pt is not None and po == pb):
            want = pt
        elif pt is None or pt == pb:
            want = po
        else:
            continue  # moved by both sides: either place is theirs to argue about
        assert want is not None
        if tuple(h for h in want if h in merged_set) != merged[x]:
            return True
    return False
