"""Renumbering: keep position labels (1.1, 1.2, task-1-3:) consistent after a merge."""

from __future__ import annotations

import re
from collections import Counter

from .model import Heading, Task

_NUMBERED = re.compile(r"^(?P<pre>(?:\d+[.-])*|[A-Za-z]+-(?:\d+-)*)(?P<num>\d+)(?P<post>[.:)]?)$")


def split_label(label: str) -> tuple[str, int, str] | None:
    """(prefix, last number, suffix) of a position label, or None (e.g. "T047:" is an id)."""
    if not label or re.match(r"^T\d", label):
        return None
    m = _NUMBERED.match(label)
    if m is None:
        return None
    return m.group("pre"), int(m.group("num")), m.group("post")


def duplicate_labels(tasks: list[Task]) -> set[str]:
    """Labels that occur more than once in a document (its author's own numbering)."""
    counts = Counter(t.label for t in tasks if t.label)
    return {label for label, n in counts.items() if n > 1}


def renumber(pieces: list[object], keep: set[str]) -> list[object]:
    """Renumber sibling groups whose labels the merge left duplicated or out of order.

    A group is the tasks of one section with the same parent task and label shape. It is renumbered
    only when its numbers, without duplicates, are consecutive and it has duplicates or an
    inversion, and none of its labels was duplicated by an author (``keep``).
    """
    seen: set[str] = set()
    if not any(p.label in seen or seen.add(p.label) for p in pieces if isinstance(p, Task) and p.label):  # type: ignore[func-returns-value]
        return pieces  # no label twice: nothing to renumber
    groups: dict[tuple[int, int, str, str], list[int]] = {}
    section = 0
    open_tasks: list[tuple[int, int]] = []  # (depth, index) of the tasks enclosing the current one
    for i, piece in enumerate(pieces):
        if isinstance(piece, Heading):
            section += 1
            open_tasks.clear()
        elif isinstance(piece, Task):
            while open_tasks and open_tasks[-1][0] >= piece.depth:
                open_tasks.pop()
            parent = open_tasks[-1][1] if open_tasks else -1
            open_tasks.append((piece.depth, i))
            parts = split_label(piece.label)
            if parts is not None:
                groups.setdefault((section, parent, parts[0], parts[2]), []).append(i)
    out = list(pieces)
    for (_, _, pre, post), members in groups.items():
        labels = [out[i].label for i in members]  # type: ignore[attr-defined]
        if keep & set(labels):
            continue
        nums = [split_label(lb)[1] for lb in labels]  # type: ignore[index]
        unique = sorted(set(nums))
        if unique != list(range(unique[0], unique[0] + len(unique))):
            continue
        if len(unique) == len(nums) and nums == sorted(nums):
            continue
        for offset, i in enumerate(members):
            task = out[i]
            assert isinstance(task, Task)
            new_label = f"{pre}{unique[0] + offset}{post}"
            if new_label != task.label:
                out[i] = task.replace(label=new_label)
                _relabel_children(out, i, pre + str(nums[offset]), pre + str(unique[0] + offset))
    return out


def _relabel_children(pieces: list[object], at: int, old_stem: str, new_stem: str) -> None:
    """Carry a renumbered parent's new number into its subtasks' labels (1.3.1 -> 1.4.1)."""
    parent = pieces[at]
    assert isinstance(parent, Task)
    for k in range(at + 1, len(pieces)):
        child = pieces[k]
        if isinstance(child, Heading):
            return
        if not isinstance(child, Task):
            continue
        if child.depth <= parent.depth:
            return
        for sep in (".", "-"):
            if child.label.startswith(old_stem + sep):
                pieces[k] = child.replace(label=new_stem + child.label[len(old_stem):])
                break
