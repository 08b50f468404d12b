"""Edits of one task file that change only the bytes of the task concerned (pure).

Each function takes the file's lines (``Text.lines``, every line with its own ending) and its
parsed ``Document`` and returns new lines: a flipped box, a reworded title, an inserted task.
The rest of the file, its BOM, line endings, indentation and marker style, is left as it was;
a new task copies the spelling of its neighbours (marker, box, label separator, line ending).
"""

from __future__ import annotations

import re

from .hashes import blake2b
from .labels import split_id, split_label
from .model import Document, Heading, Task, digest, section_paths, wrapped  # noqa: F401 (digest, wrapped: the edits' own)
from .text import dominant_eol, split_eol

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

Lines = tuple[str, ...]

_TAGS = re.compile(r"^(?:\[[^\]\s][^\]]{0,30}\][ \t]+)+")
_HEADING_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?(?:[ \t]|$)")


def version(text_digest: str, runtime: Sequence[object]) -> str:
    """A task's version: a short token that changes when its own lines (``digest``) or its
    runtime fields change, and with nothing else (an edit to another task leaves it)."""
    text = text_digest + "".join("\0" + ("" if value is None else str(value)) for value in runtime)
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=4).hexdigest()


def checked_state(doc: Document) -> str:
    """How this file spells a checked box: ``X`` when most of its checked tasks use it, else ``x``."""
    upper = sum(1 for t in doc.tasks if t.state == "X")
    lower = sum(1 for t in doc.tasks if t.state == "x")
    return "X" if upper > lower else "x"


def set_box(lines: Lines, doc: Document, task: Task, done: bool) -> Lines:
    """The lines with ``task``'s box checked (in the file's spelling) or cleared."""
    at = task.line
    line = lines[at]
    box = len(task.prefix)
    if line[box:box + 1] != "[" or line[box + 2:box + 3] != "]":
        raise ValueError(f"line {at + 1} is not the task's head line")
    state = checked_state(doc) if done else " "
    return lines[:at] + (line[: box + 1] + state + line[box + 2:],) + lines[at + 1:]


def retitle(lines: Lines, task: Task, title: str) -> Lines:
    """The lines with ``task``'s title replaced by ``title`` (one line): its label, box, gap,
    leading tags (``[P] [US1]``, unless ``title`` brings its own) and detail lines are kept; the
    lines its old title wrapped onto go."""
    tags = ""
    if not title.startswith("["):
        m = _TAGS.match(task.title)
        tags = m.group(0) if m else ""
    gap = task.gap if task.gap.strip("*") else task.gap + " "
    sep = task.label_sep or (" " if task.label else "")
    head = f"{task.prefix}[{task.state}]{gap}{task.label}{sep}{tags}{title}{task.eol}"
    at = task.line
    return lines[:at] + (head,) + lines[at + 1 + wrapped(task):]


# -- adding a task ---------------------------------------------------------------------------------


def subtree_end(doc: Document, index: int) -> int:
    """The unit index after the task at ``index`` and the deeper tasks right below it."""
    task = doc.units[index]
    assert type(task) is Task
    k = index + 1
    while k < len(doc.units):
        u = doc.units[k]
        if type(u) is not Task or u.depth <= task.depth:
            break
        k += 1
    return k


def unit_end_line(doc: Document, index: int) -> int:
    """The line after the last line of unit ``index`` (its lead excluded: that is the next
    unit's, or the trailing blank lines)."""
    line = 0
    for k, u in enumerate(doc.units):
        line += len(u.lead)
        own = 1 + len(u.body) if isinstance(u, Task) else len(u.lines)
        if k == index:
            return line + own
        line += own
    raise IndexError(index)


def next_label(doc: Document, siblings: Sequence[Task], after: Task | None, parent: Task | None,
               heading: Heading | None) -> str:
    """The label the file's scheme gives a task placed after ``after`` among ``siblings`` (or
    first among them), under ``parent`` or in the section of ``heading``: the next position
    number (``1.4``, Kiro's ``7.``), the next free sequential id of the file (``T012``), a first
    subtask number (``2.1``), or none in a list that does not number."""
    ref = after or (siblings[-1] if siblings else None)
    if ref is not None and ref.label:
        ident = split_id(ref.label)
        if ident is not None:
            return _next_id(doc, ident)
        pos = split_label(ref.label)
        if pos is not None:
            return f"{pos[0]}{pos[1] + 1}{pos[2]}"
        return ""
    ids = [split_id(t.label) for t in doc.tasks if t.label]
    if ids and all(i is not None for i in ids):  # a file that names its tasks: the next name
        return _next_id(doc, ids[-1])  # type: ignore[arg-type]
    if parent is not None:
        if parent.label and split_label(parent.label) is not None:
            return f"{parent.label.rstrip('.):')}.1"
        return ""
    numbered = [t for t in doc.tasks if t.label and split_label(t.label) is not None]
    if not numbered:
        return ""
    top = [split_label(t.label) for t in numbered if t.parent is None]
    dotted = [p for p in top if p is not None and p[0]]
    if heading is not None and dotted:  # OpenSpec: "## 3. Build" holds 3.1, 3.2 ...
        m = _HEADING_NUMBER.match(heading.text)
        if m:
            return f"{m.group(1)}.1"
    plain = [p for p in top if p is not None and not p[0]]
    if plain:  # Kiro numbers its top-level tasks through the document: 6. after 5.
        return f"{max(p[1] for p in plain) + 1}{plain[-1][2]}"
    return ""


def _next_id(doc: Document, ident: tuple[str, int, int, str]) -> str:
    prefix, _, width, suffix = ident
    used = [split_id(t.label) for t in doc.tasks if t.label]
    top = max((i[1] for i in used if i is not None and i[0] == prefix), default=0)
    return f"{prefix}{top + 1:0{width}d}{suffix}"


def shifted(doc: Document, siblings: Sequence[Task], label: str) -> list[tuple[Task, str]]:
    """When ``label`` is already a sibling's position number (an insert in the middle of a
    numbered group), the later siblings and their subtasks move up by one: (task, new label)
    for each task that changes; position numbers are places, ids never move."""
    pos = split_label(label)
    if pos is None or not any(t.label == label for t in siblings):
        return []
    moves: list[tuple[Task, str]] = []
    old_labels: dict[str, str] = {}
    for t in siblings:
        p = split_label(t.label)
        if p is not None and p[0] == pos[0] and p[2] == pos[2] and p[1] >= pos[1]:
            new = f"{p[0]}{p[1] + 1}{p[2]}"
            old_labels[t.label.rstrip(".):")] = new.rstrip(".):")
            moves.append((t, new))
    for t in doc.tasks:  # subtasks follow their parent's number: 1.3.1 -> 1.4.1
        for old, new in old_labels.items():
            if t.label.startswith(old + ".") and t not in [m[0] for m in moves]:
                moves.append((t, new + t.label[len(old):]))
                break
    return moves


def relabel(lines: Lines, moves: Sequence[tuple[Task, str]]) -> Lines:
    """The lines with each task's label replaced (nothing else on its line changes)."""
    out = list(lines)
    for task, label in moves:
        line = out[task.line]
        start = len(task.prefix) + 3 + len(task.gap)
        if line[start:start + len(task.label)] != task.label:
            raise ValueError(f"line {task.line + 1}: label {task.label!r} not where the parse put it")
        out[task.line] = line[:start] + label + line[start + len(task.label):]
    return tuple(out)


def task_line(like: Task | None, prefix: str, label: str, title: str, eol: str) -> str:
    """A new open task's line in the spelling of ``like`` (its gap and label separator)."""
    gap = " "
    sep = " "
    if like is not None:
        gap = like.gap.lstrip("*") or " "
        sep = like.label_sep or " "
    return f"{prefix}[ ]{gap}{label}{sep if label else ''}{title}{eol}"


def insert_lines(lines: Lines, at: int, new: Sequence[str]) -> Lines:
    """``new`` inserted before line ``at``; a last line without an ending gets the file's."""
    lines = tuple(lines)
    if at > 0 and at == len(lines) and not split_eol(lines[-1])[1]:
        lines = lines[:-1] + (lines[-1] + dominant_eol(lines),)
        new = list(new)
        new[-1] = split_eol(new[-1])[0]  # the file ended without a newline: so does it now
    return lines[:at] + tuple(new) + lines[at:]


def child_prefix(parent: Task) -> str:
    """The prefix of a first subtask: indented to the parent's content, same bullet."""
    indent = re.sub(r"[^\t]", " ", parent.prefix)
    bullet = parent.prefix.strip(" \t")
    marker = bullet[0] if bullet[:1] in ("-", "*", "+") else "-"
    return f"{indent}{marker} "


def section_of(doc: Document, heading_index: int) -> range:
    """The unit indices of the section under the heading at ``heading_index`` (to the next
    heading of the same or a higher level)."""
    heading = doc.units[heading_index]
    assert type(heading) is Heading
    k = heading_index + 1
    while k < len(doc.units):
        u = doc.units[k]
        if type(u) is Heading and u.level <= heading.level:
            break
        k += 1
    return range(heading_index + 1, k)


def sections(doc: Document) -> list[tuple[int, tuple[str, ...]]]:
    """(unit index, heading path) of every heading."""
    paths = section_paths(doc.units)
    return [(k, paths[k] + (u.text,)) for k, u in enumerate(doc.units) if type(u) is Heading]
