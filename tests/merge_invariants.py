"""Invariants a task merge must keep, checked from the outside (by task text, not our matcher)."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from zyflow_git.core.identity import normalize_title
from zyflow_git.core.parse import parse_bytes


def titles(data: bytes) -> Counter[str]:
    return Counter(normalize_title(t.title) for t in parse_bytes(data).tasks)


def states(data: bytes) -> dict[str, bool]:
    return {normalize_title(t.title): t.done for t in parse_bytes(data).tasks}


def _close(title: str, pool: Counter[str]) -> bool:
    """A merged edit: some result title is very like this one (both sides edited it)."""
    return any(SequenceMatcher(None, title, other).ratio() >= 0.75 for other in pool)


def problems(base: bytes, ours: bytes, theirs: bytes, merged: bytes) -> list[str]:
    """What a clean merge got wrong: tasks lost, tasks duplicated, one-sided toggles undone."""
    out: list[str] = []
    got = titles(merged)
    b, o, t = titles(base), titles(ours), titles(theirs)
    fresh = Counter({k: v for k, v in got.items() if k not in b})
    for title in o | t:
        deleted = title in b and (o[title] < b[title] or t[title] < b[title])
        if not deleted and got[title] < max(o[title], t[title]) and not _close(title, fresh):
            out.append(f"lost: {title[:60]}")
    for title, n in got.items():
        if n > max(o[title], t[title], 1):
            out.append(f"duplicated: {title[:60]}")
    sb, so, st, sg = states(base), states(ours), states(theirs), states(merged)
    for title in sg:
        for side, other in ((so, st), (st, so)):
            if (title in sb and title in side and title in other and side[title] != sb[title]
                    and other[title] == sb[title] and sg[title] != side[title]):
                out.append(f"toggle lost: {title[:60]}")
    return out
