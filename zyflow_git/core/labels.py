"""Labels after a merge: no label that a document uses as an identifier occurs twice.

Two kinds of scheme (see docs/design.md, "Labels"):

- **Position numbering** (``1.3``, Kiro's ``6.`` and ``6.1``, ``task-1-2:``): the number says
  where a task stands among its siblings. Where a merge leaves two of a number, the group is
  renumbered in order (subtask labels follow: ``1.3.1`` -> ``1.4.1``); a group with gaps keeps
  its numbers and only the duplicate gets the group's next free number. A group is the tasks
  with one parent and one label shape, per section, or across the whole document when every
  side numbers that shape through the document (Kiro's top-level tasks).
- **Sequential ids** (spec-kit's ``T005``, ``TASK-12``): a name, referred to elsewhere in the
  file and in commits. Nothing is renumbered: where both sides took the same id, the task
  theirs added gets the next free id of the scheme (same prefix and width).

Labels an author already used twice on one side are left alone.
"""

from __future__ import annotations

from .lazyre import lazy
from .model import Heading, Task
from .structure import heading_text
from .tally import tally

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

    from .model import Unit

# Compiled on first use: only a merge that leaves a label twice reads labels.
_POSITION = lazy(r"^(?P<pre>(?:\d+[.-])*|[A-Za-z]+-(?:\d+-)+)(?P<num>\d+)(?P<post>[.:)]?)$")
_SEQUENTIAL = lazy(r"^(?P<pre>[A-Za-z]+-?)(?P<num>\d+)(?P<post>:?)$")


def split_label(label: str) -> tuple[str, int, str] | None:
    """(prefix, last number, suffix) of a position label, or None (e.g. "T047:" is an id)."""
    m = _POSITION.match(label) if label else None
    if m is None:
        return None
    return m.group("pre"), int(m.group("num")), m.group("post")


def split_id(label: str) -> tuple[str, int, int, str] | None:
    """(prefix, number, digits, suffix) of a sequential id such as "T005" or "TASK-12:"."""
    m = _SEQUENTIAL.match(label) if label else None
    if m is None or split_label(label) is not None:
        return None
    return m.group("pre"), int(m.group("num")), len(m.group("num")), m.group("post")


def duplicate_labels(tasks: Sequence[Task]) -> set[str]:
    """Labels that occur more than once in a document (its author's own numbering)."""
    counts = tally(t.label for t in tasks if t.label)
    return {label for label, n in counts.items() if n > 1}


def numbered_through(units: Sequence[Unit]) -> set[tuple[str, str]]:
    """Shapes (prefix, suffix) of top-level position labels that a document numbers through
    all its sections (Kiro: ``- [ ] 6. ...`` under any heading) rather than per section."""
    seen: dict[tuple[str, str], list[tuple[int, int]]] = {}
    section = 0
    for u in units:
        if isinstance(u, Heading):
            section += 1
        elif isinstance(u, Task) and u.parent is None:
            parts = split_label(u.label)
            if parts is not None:
                seen.setdefault((parts[0], parts[2]), []).append((section, parts[1]))
    out = set()
    for shape, found in seen.items():
        numbers = [n for _, n in found]
        if len({s for s, _ in found}) > 1 and len(set(numbers)) == len(numbers):
            out.add(shape)
    return out


def relabel(pieces: list[object], theirs: set[int], ours_units: Sequence[Unit],
            theirs_units: Sequence[Unit]) -> tuple[list[object], list[str]]:
    """Pieces with no identifier label twice, and a note per relabelled task or section.

    ``theirs``: indexes of the pieces only theirs added (they yield a label both sides took);
    ``ours_units``/``theirs_units``: the two sides, for what their authors numbered twice,
    which shapes they number through the document, and which ids they use.
    """
    sides = (ours_units, theirs_units)
    pieces, notes = renumber_sections(pieces, set().union(*(_twice_numbered_sections(u) for u in sides)))
    seen: set[str] = set()
    if not any(p.label in seen or seen.add(p.label) for p in pieces if isinstance(p, Task) and p.label):  # type: ignore[func-returns-value]
        return pieces, notes  # no label twice: nothing more to do
    tasks = [u for units in sides for u in units if isinstance(u, Task)]
    keep = duplicate_labels([u for u in ours_units if isinstance(u, Task)]) | duplicate_labels(
        [u for u in theirs_units if isinstance(u, Task)])
    out = list(pieces)
    _fresh_ids(out, theirs, keep, {t.label for t in tasks if t.label}, notes)
    _renumber(out, theirs, keep, numbered_through(ours_units) | numbered_through(theirs_units), notes)
    return out, notes


def _twice_numbered_sections(units: Sequence[Unit]) -> set[str]:
    """Texts of the headings whose (level, number) a side already uses twice."""
    found: dict[tuple[int, str, int], list[str]] = {}
    for u in units:
        parts = _heading_number(u)
        if parts is not None:
            found.setdefault((u.level, parts[0], parts[1]), []).append(u.text)  # type: ignore[union-attr]
    return {text for texts in found.values() if len(texts) > 1 for text in texts}


# A numbered section heading: "## 3. Baseline", "## Phase 3: Polish" (ATX, one line).
_NUMBERED_HEADING = lazy(r"^(?P<pre> {0,3}#{1,6}[ \t]+(?:(?:Phase|Stage|Step|Part|Milestone|Section)[ \t]+)?)"
                               r"(?P<num>\d+)(?P<post>[.:)]?)(?=[ \t]|$)")


def _heading_number(piece: object) -> tuple[str, int, str] | None:
    if not isinstance(piece, Heading) or len(piece.lines) != 1:
        return None
    m = _NUMBERED_HEADING.match(piece.lines[0])
    if m is None:
        return None
    return m.group("pre").lstrip(" #\t"), int(m.group("num")), m.group("post")


def renumber_sections(pieces: list[object], keep: set[str]) -> tuple[list[object], list[str]]:
    """Sibling section headings the merge left with one number twice ("## 3. Docs" from ours,
    "## 3. Bench" from theirs) are renumbered like position labels, and the position labels
    of the tasks in a renumbered section follow ("3.1" -> "4.1"). ``keep``: heading texts an
    author numbered twice."""
    groups: dict[tuple[int, int, str, str], list[int]] = {}
    stack: list[tuple[int, int]] = []  # (level, index) of the enclosing headings
    for i, piece in enumerate(pieces):
        if not isinstance(piece, Heading):
            continue
        while stack and stack[-1][0] >= piece.level:
            stack.pop()
        parts = _heading_number(piece)
        if parts is not None and piece.text not in keep:
            groups.setdefault((piece.level, stack[-1][1] if stack else -1, parts[0], parts[2]), []).append(i)
        stack.append((piece.level, i))
    out = list(pieces)
    notes: list[str] = []
    for members in groups.values():
        nums = [_heading_number(out[i])[1] for i in members]  # type: ignore[index]
        if len(set(nums)) == len(nums):
            continue  # an order the authors chose ("## 3." before "## 2.") is theirs to keep
        for i, old, new in zip(members, nums, _deduplicated(nums, members, set())):
            if old != new:
                heading = out[i]
                assert isinstance(heading, Heading)
                m = _NUMBERED_HEADING.match(heading.lines[0])
                assert m is not None
                line = heading.lines[0]
                line = line[: m.start("num")] + str(new) + line[m.end("num"):]
                notes.append(f"relabelled section {old} -> {new}: {heading.text}")
                out[i] = heading.replace(lines=(line,), text=heading_text((line,)))
                _relabel_section(out, i, str(old), str(new))
    return out, notes


def _deduplicated(nums: list[int], members: list[int], theirs: set[int]) -> list[int]:
    """New numbers for a group with a duplicate (or out of order): in order when its numbers
    are otherwise consecutive, else only the duplicates move to the next free numbers (ours'
    keep theirs). Unchanged when no number is twice and they are in order."""
    unique = sorted(set(nums))
    if len(unique) == len(nums) and nums == unique:
        return list(nums)
    if unique == list(range(unique[0], unique[0] + len(unique))):
        return [unique[0] + offset for offset in range(len(nums))]
    renumbered, used, top = list(nums), set(), unique[-1]
    for k in sorted(range(len(members)), key=lambda k: members[k] in theirs):
        if nums[k] in used:
            top += 1
            renumbered[k] = top
        used.add(nums[k])
    return renumbered


def _relabel_section(pieces: list[object], at: int, old: str, new: str) -> None:
    """Carry a renumbered section's number into its tasks' labels ("3.1" -> "4.1")."""
    heading = pieces[at]
    assert isinstance(heading, Heading)
    for k in range(at + 1, len(pieces)):
        piece = pieces[k]
        if isinstance(piece, Heading) and piece.level <= heading.level:
            return
        if isinstance(piece, Task) and piece.label.startswith(old + ".") and split_label(piece.label) is not None:
            pieces[k] = piece.replace(label=new + piece.label[len(old):])


def _set_label(pieces: list[object], i: int, new: str, notes: list[str]) -> None:
    task = pieces[i]
    assert isinstance(task, Task)
    notes.append(f"relabelled {task.label} -> {new}: {task.title.strip()}")
    pieces[i] = task.replace(label=new)


def _fresh_ids(pieces: list[object], theirs: set[int], keep: set[str], taken: set[str], notes: list[str]) -> None:
    """An id both sides took stays with ours' task; theirs' gets the scheme's next free id."""
    holders: dict[str, list[int]] = {}
    for i, p in enumerate(pieces):
        if isinstance(p, Task) and p.label not in keep and split_id(p.label) is not None:
            holders.setdefault(p.label, []).append(i)
    highest: dict[str, int] = {}
    for label in taken | {p.label for p in pieces if isinstance(p, Task)}:
        parts = split_id(label)
        if parts is not None:
            highest[parts[0]] = max(highest.get(parts[0], 0), parts[1])
    for label, at in holders.items():
        if len(at) < 2:
            continue
        stays = next((i for i in at if i not in theirs), at[0])
        for i in at:
            if i == stays:
                continue
            pre, _, width, post = split_id(label)  # type: ignore[misc]
            highest[pre] += 1
            _set_label(pieces, i, f"{pre}{highest[pre]:0{width}d}{post}", notes)


def _renumber(pieces: list[object], theirs: set[int], keep: set[str], through: set[tuple[str, str]], notes: list[str]) -> None:
    """Renumber position groups the merge left with a duplicate or out of order."""
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
                scope = -1 if parent < 0 and (parts[0], parts[2]) in through else section
                groups.setdefault((scope, parent, parts[0], parts[2]), []).append(i)
    for (_, _, pre, post), members in groups.items():
        labels = [pieces[i].label for i in members]  # type: ignore[attr-defined]
        if keep & set(labels):
            continue
        nums = [split_label(lb)[1] for lb in labels]  # type: ignore[index]
        for i, old, new in zip(members, nums, _deduplicated(nums, members, theirs)):
            if old != new:
                _set_label(pieces, i, f"{pre}{new}{post}", notes)
                _relabel_children(pieces, i, pre + str(old), pre + str(new))


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
