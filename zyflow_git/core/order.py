"""Three-way merge of the order of units, each known by a unique id.

Anchors are the ids that neither side moved (in the longest common order of base with each
side). Between two anchors each side has a chunk; a chunk only one side changed is taken from
that side, and chunks both changed are interleaved (ours' inserts first, then theirs', each after
its own predecessor). A unit both sides kept sits where the side that moved it put it, so a move
is never lost nor doubled. Every id of ours or theirs appears exactly once in the result, except
ids in base that a side deleted.
"""

from __future__ import annotations

from bisect import bisect_left
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Hashable, Sequence

    Id = Hashable


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


def merge_order(base: Sequence[Id], ours: Sequence[Id], theirs: Sequence[Id]) -> list[Id]:
    """The merged order; base ids missing from either side are left out (deletions)."""
    anchors = stable_subsequence(base, ours) & stable_subsequence(base, theirs)
    order = [x for x in base if x in anchors]
    cb, co, ct = _chunks(base, anchors), _chunks(ours, anchors), _chunks(theirs, anchors)
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
        for x in _merge_chunk(cb[k], co[k], ct[k], in_base):
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


def _merge_chunk(b: list[Id], o: list[Id], t: list[Id], in_base: set[Id]) -> list[Id]:
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
        while at < len(result) and result[at] in ours_only:
            at += 1
        result.insert(at, x)
        present.add(x)
    return result
