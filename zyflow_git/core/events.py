"""Task events between two versions of a task file: added, removed, checked, unchecked,
edited, moved, relabelled. Pure: takes two parsed documents, returns events."""

from __future__ import annotations

from .identity import match_units, normalize_title
from .model import Document, Heading, Task, section_paths
from .order import longest_increasing
from .record import Record


class TaskEvent(Record):
    """One change to one task. ``old``/``new`` index the task among the old/new document's
    tasks (None where it has no such side)."""

    __slots__ = ("event", "old", "new", "title", "old_title", "label", "old_label", "section",
                 "old_section", "done")
    event: str
    old: int | None
    new: int | None
    title: str
    old_title: str | None
    label: str
    old_label: str | None
    section: tuple[str, ...] | None
    old_section: tuple[str, ...] | None
    done: bool


def _tasks_with_sections(doc: Document) -> tuple[list[int], list[tuple[str, ...]], list[int]]:
    """Unit index of each task, its section path, and the unit index of its heading (-1: root)."""
    units, paths = doc.units, section_paths(doc.units)
    at, sections, heading_of = [], [], []
    heading = -1
    for i, u in enumerate(units):
        if isinstance(u, Heading):
            heading = i
        elif isinstance(u, Task):
            at.append(i)
            sections.append(paths[i])
            heading_of.append(heading)
    return at, sections, heading_of


def task_events(old: Document | None, new: Document | None) -> tuple[list[TaskEvent], dict[int, int]]:
    """What happened to the tasks from ``old`` to ``new`` (either may be None: no file), and
    which task of ``new`` is which of ``old`` (new task index -> old task index)."""
    old_units = old.units if old is not None else ()
    new_units = new.units if new is not None else ()
    pairs = match_units(old_units, new_units) if old_units and new_units else {}
    o_at, o_sec, o_head = _tasks_with_sections(old) if old is not None else ([], [], [])
    n_at, n_sec, n_head = _tasks_with_sections(new) if new is not None else ([], [], [])
    o_index = {u: k for k, u in enumerate(o_at)}
    events: list[TaskEvent] = []
    matched: list[tuple[int, int]] = []  # (new task index, old task index)
    for k, u in enumerate(n_at):
        o_unit = pairs.get(u)
        if o_unit is None or o_unit not in o_index:
            t = new_units[u]
            events.append(TaskEvent("added", None, k, t.title.strip(), None, t.label, None, n_sec[k], None, t.done))  # type: ignore[union-attr]
            continue
        matched.append((k, o_index[o_unit]))
    stable = {matched[i] for i in longest_increasing([o for _, o in matched])}
    for k, j in matched:
        a, b = old_units[o_at[j]], new_units[n_at[k]]
        assert isinstance(a, Task) and isinstance(b, Task)
        title, old_title = b.title.strip(), a.title.strip()
        common = (title, None, b.label, None, n_sec[k], None, b.done)
        if a.done != b.done:
            events.append(TaskEvent("checked" if b.done else "unchecked", j, k, *common))
        if title != old_title:
            events.append(TaskEvent("edited", j, k, title, old_title, b.label, None, n_sec[k], None, b.done))
        same_section = pairs.get(n_head[k], -1) == o_head[j] if n_head[k] >= 0 else o_head[j] == -1
        if not same_section or (k, j) not in stable:
            events.append(TaskEvent("moved", j, k, title, None, b.label, None, n_sec[k], o_sec[j], b.done))
        if a.label != b.label:
            events.append(TaskEvent("relabelled", j, k, title, None, b.label, a.label, n_sec[k], None, b.done))
    seen = {j for _, j in matched}
    for j, u in enumerate(o_at):
        if j not in seen:
            t = old_units[u]
            events.append(TaskEvent("removed", j, None, t.title.strip(), None, t.label, None, o_sec[j], None, t.done))  # type: ignore[union-attr]
    return events, dict(matched)


def resolutions(first: list[TaskEvent], others: list[list[TaskEvent]]) -> list[TaskEvent]:
    """Of a merge's events against its first parent, those it has against every other parent
    too: what no parent had, the merge's own resolution. A change made on a branch is an event
    of the branch's commit, never counted again on the merge."""
    def key(e: TaskEvent) -> tuple[str, object]:
        return (e.event, e.new if e.new is not None else e.title)

    keys = [{key(e) for e in evs} for evs in others]
    return [e for e in first if all(key(e) in k for k in keys)]


def quick_events(old: Document, old_lines: tuple[str, ...], new_lines: tuple[str, ...]) -> tuple[Document, list[TaskEvent]] | None:
    """The new version and its events without parsing or matching, when it differs from
    ``old`` only in task lines that keep their marker and their identity text (a check, an
    uncheck, a relabel, emphasis): the commonest commit. None whenever that is not certain;
    the caller then parses and runs :func:`task_events`, which this must always agree with.
    """
    if old.reference or len(old_lines) != len(new_lines):
        return None
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    if not changed:
        return old, []
    by_line = {u.line: i for i, u in enumerate(old.units) if type(u) is Task}
    old_set, new_set = set(old_lines), set(new_lines)
    units = list(old.units)
    swaps: list[tuple[int, Task, Task]] = []
    for i in changed:
        ui = by_line.get(i)
        line = new_lines[i]
        # A changed line must be a task line that stays one with the same marker and text
        # identity, and must not equal any line of the other version (the matcher would then
        # pair by whole lines first, possibly crosswise).
        if ui is None or "|" in line or line in old_set or old_lines[i] in new_set:
            return None
        from .parse import split_head

        try:
            parts = split_head(line)
        except ValueError:
            return None
        was = units[ui]
        assert isinstance(was, Task)
        if parts[0] != was.prefix or parts[6] != was.eol or normalize_title(parts[5]) != normalize_title(was.title):
            return None
        now = Task(was.lead, *parts, was.body, was.depth, was.line, was.parent, line)
        units[ui] = now
        swaps.append((ui, was, now))
    new = Document(old.bom, tuple(units), False)
    index = {u: k for k, u in enumerate(i for i, unit in enumerate(units) if type(unit) is Task)}
    sections = section_paths(units)
    events: list[TaskEvent] = []
    for ui, a, b in sorted(swaps, key=lambda s: s[0]):
        k = index[ui]
        title, old_title = b.title.strip(), a.title.strip()
        if a.done != b.done:
            events.append(TaskEvent("checked" if b.done else "unchecked", k, k, title, None, b.label, None, sections[ui], None, b.done))
        if title != old_title:
            events.append(TaskEvent("edited", k, k, title, old_title, b.label, None, sections[ui], None, b.done))
        if a.label != b.label:
            events.append(TaskEvent("relabelled", k, k, title, None, b.label, a.label, sections[ui], None, b.done))
    return new, events
