"""difflib's SequenceMatcher without junk (``isjunk=None, autojunk=False``), as functions.

Importing ``difflib`` costs ~28 million instructions here (it imports ``re`` and compiles a
pattern, ``collections`` for a named tuple, ``heapq``); the merge driver needs its matcher for
every reworded title and every line both sides changed. This is difflib's own algorithm
(CPython's Lib/difflib.py, Python Software Foundation License) for that one configuration,
where no element is junk or popular, so ``find_longest_match``'s junk extensions do nothing;
a test holds every function to difflib's answer.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Hashable, Sequence


def matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int, int]]:
    """``SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()``: (i, j, n) with
    a[i:i+n] == b[j:j+n], increasing in i and j, adjacent blocks joined, ending in (len(a), len(b), 0)."""
    b2j: dict[Hashable, list[int]] = {}
    for j, item in enumerate(b):
        b2j.setdefault(item, []).append(j)
    la, lb = len(a), len(b)
    queue = [(0, la, 0, lb)]
    blocks = []
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, k = found = _longest(a, b, b2j, alo, ahi, blo, bhi)
        if k:
            blocks.append(found)
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
            if i + k < ahi and j + k < bhi:
                queue.append((i + k, ahi, j + k, bhi))
    blocks.sort()
    i1 = j1 = k1 = 0
    joined = []
    for i2, j2, k2 in blocks:
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
        else:
            if k1:
                joined.append((i1, j1, k1))
            i1, j1, k1 = i2, j2, k2
    if k1:
        joined.append((i1, j1, k1))
    joined.append((la, lb, 0))
    return joined


def _longest(a: Sequence[Hashable], b: Sequence[Hashable], b2j: dict[Hashable, list[int]],
             alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """``find_longest_match``: the longest block of a[alo:ahi] equal to one of b[blo:bhi],
    the earliest in a, then in b, among the longest."""
    besti, bestj, bestsize = alo, blo, 0
    j2len: dict[int, int] = {}
    nothing: list[int] = []
    for i in range(alo, ahi):
        j2lenget = j2len.get
        newj2len: dict[int, int] = {}
        for j in b2j.get(a[i], nothing):
            if j < blo:
                continue
            if j >= bhi:
                break
            k = newj2len[j] = j2lenget(j - 1, 0) + 1
            if k > bestsize:
                besti, bestj, bestsize = i - k + 1, j - k + 1, k
        j2len = newj2len
    while besti > alo and bestj > blo and a[besti - 1] == b[bestj - 1]:
        besti, bestj, bestsize = besti - 1, bestj - 1, bestsize + 1
    while besti + bestsize < ahi and bestj + bestsize < bhi and a[besti + bestsize] == b[bestj + bestsize]:
        bestsize += 1
    return besti, bestj, bestsize


def _ratio(matches: int, length: int) -> float:
    return 2.0 * matches / length if length else 1.0


def ratio(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """``SequenceMatcher(None, a, b, autojunk=False).ratio()``."""
    return _ratio(sum(block[2] for block in matching_blocks(a, b)), len(a) + len(b))


def quick_ratio(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """``quick_ratio()``: an upper bound of ``ratio``, from the items both hold."""
    counts: dict[Hashable, int] = {}
    for item in b:
        counts[item] = counts.get(item, 0) + 1
    avail: dict[Hashable, int] = {}
    matches = 0
    for item in a:
        numb = avail[item] if item in avail else counts.get(item, 0)
        avail[item] = numb - 1
        if numb > 0:
            matches += 1
    return _ratio(matches, len(a) + len(b))


def real_quick_ratio(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """``real_quick_ratio()``: an upper bound of ``quick_ratio``, from the lengths alone."""
    la, lb = len(a), len(b)
    return _ratio(min(la, lb), la + lb)
