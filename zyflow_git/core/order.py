"""Three-way merge of the order of units, each known by a unique id.

Anchors are the ids that neither side moved (in the longest common order of base with each
side). Between two anchors each side has a chunk; a chunk only one side changed is taken from
that side, and chunks both changed are interleaved (ours' inserts first, then theirs', each after
its own predecessor, without crossing into a section the other side inserted). A unit both sides kept sits where the side that moved it put it, so a move
is never lost nor doubled. Every id of ours or theirs appears exactly once in the result, except
ids in base that a side deleted.
"""

from __future__ import annotations

from bisect import bisect_left
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Hashable, Sequence, TypeVar

    Id = TypeVar("Id", bound=Hashable)
    # The anchors in base order, then base, ours and theirs cut at them (one chunk more).
    Chunks = tuple[list[Id], list[list[Id]], list[list[Id]], list[list[Id]]]


def longest_increasing(values: Sequence[int]) -> list[int]:
    """Indexes of a longest strictly increasing subsequence of ``values`` (O(n log n)); all of
    them at once when nothing moved, the common case."""
    if all(a < b for a, b in zip(values, values[1:])):
        return list(range(len(values)))
    tails: list[int] = []
    tail_at: list[int] = []
    prev = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k] = v
            tail_at[k] = i
        prev[i] = tail_at[k - 1] if k else -1
    out: list[int] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.append(i)
        i = prev[i]
    return out[::-1]


def stable_subsequence(base: Sequence[Id], side: Sequence[Id]) -> set[Id]:
    """Ids common to both that keep their relative order (longest such set)."""
    where = {x: i for i, x in enumerate(side)}
    common = [x for x in base if x in where]
    return {common[i] for i in longest_increasing([where[x] for x in common])}


def _chunks(seq: Sequence[Id], anchors: set[Id]) -> list[list[Id]]:
    chunks: list[list[Id]] = [[]]
    for x in seq:
        if x in anchors:
            chunks.append([])
        else:
            chunks[-1].append(x)
    return chunks


def cut(base: Sequence[Id], ours: Sequence[Id], theirs: Sequence[Id]) -> Chunks[Id]:
    """The anchors (ids neither side moved) and base, ours and theirs cut at them."""
    anchors = stable_subsequence(base, ours) & stable_subsequence(base, theirs)
    return [x for x in base if x in anchors], _chunks(base, anchors), _chunks(ours, anchors), _chunks(theirs, anchors)


def merge_order(base: Sequence[Id], ours: Sequence[Id], theirs: Sequence[Id],
                levels: dict[Id, int] | None = None, chunks: Chunks[Id] | None = None) -> list[Id]:
    """The merged order; base ids missing from either side are left out (deletions).

    ``levels`` gives the heading level of the ids that are headings, so that concurrent inserts
    keep their sections (see ``_merge_chunk``).
    """
    order, cb, co, ct = chunks or cut(base, ours, theirs)
    levels = levels or {}
    in_base, in_ours, in_theirs = set(base), set(ours), set(theirs)

    def chunk_index(chunks: list[list[Id]]) -> dict[Id, int]:
        return {x: k for k, chunk in enumerate(chunks) for x in chunk}

    pos_b, pos_o, pos_t = chunk_index(cb), chunk_index(co), chunk_index(ct)

    def target(x: Id) -> int:
        if pos_o[x] == pos_b[x]:
            return pos_t[x]
        if pos_t[x] == pos_b[x]:
            return pos_o[x]
        return min(pos_o[x], pos_t[x])  # both moved it: the earlier place, on either side

    out: list[Id] = []
    seen: set[Id] = set()
    for k in range(len(cb)):
        for x in _merge_chunk(cb[k], co[k], ct[k], in_base, levels):
            if x in seen:
                continue
            if x in in_base:
                if x not in in_ours or x not in in_theirs or target(x) != k:
                    continue
            seen.add(x)
            out.append(x)
        if k < len(order):
            out.append(order[k])
    return out


def both_replaced(base: Sequence[Id], ours: Sequence[Id], theirs: Sequence[Id],
                  chunks: Chunks[Id], counts: set[Id]) -> list[tuple[list[Id], list[Id], list[Id]]]:
    """Places where both sides deleted the same base units and each put new ones there.

    For each chunk where some id of ``counts`` (units with content) is gone from both sides and
    both sides inserted new ids, and not the same ones: (gone, ours' new, theirs' new).
    """
    in_base, in_ours, in_theirs = set(base), set(ours), set(theirs)
    out = []
    for cb, co, ct in zip(*chunks[1:]):
        gone = [x for x in cb if x in counts and x not in in_ours and x not in in_theirs]
        if not gone:
            continue
        new_o = [x for x in co if x not in in_base]
        new_t = [x for x in ct if x not in in_base]
        if new_o and new_t and new_o != new_t:
            out.append((gone, new_o, new_t))
    return out


def _merge_chunk(b: list[Id], o: list[Id], t: list[Id], in_base: set[Id], levels: dict[Id, int]) -> list[Id]:
    """One chunk: a side's chunk is taken when the other's is unchanged; else theirs' new
    units go after ours' at the same place, each after its own predecessor, but never past
    a heading ours inserted that would capture them: a task or block stops before any such
    heading, a heading before one of a higher level (so both keep their sections)."""
    if o == b:
        return t
    if t == b or o == t:
        return o
    result = list(o)
    present = set(result)
    ours_only = {x for x in o if x not in in_base and x not in set(t)}
    for i, x in enumerate(t):
        if x in present:
            continue
        at = 0
        for p in reversed(t[:i]):
            if p in present:
                at = result.index(p) + 1
                break
        level = levels.get(x)
        while at < len(result) and result[at] in ours_only:
            other = levels.get(result[at])
            if other is not None and (level is None or other < level):
                break
            at += 1
        result.insert(at, x)
        present.add(x)
    return result


def reinsert(seq: list[Id], x: Id, base: Sequence[Id]) -> None:
    """Put base id ``x`` back into ``seq`` right after its nearest base predecessor there."""
    present = set(seq)
    at = 0
    for p in reversed(base[: base.index(x)]):
        if p in present:
            at = seq.index(p) + 1
            break
    seq.insert(at, x)
