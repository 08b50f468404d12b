"""Task events between two versions of a task file: added, removed, checked, unchecked,
edited, moved, relabelled. Pure: takes two parsed documents, returns events."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import chain, compress
from operator import attrgetter, ne

from .identity import LONE_GAP_SIMILARITY, match_units, normalize_title, similarity
from .model import Document, Heading, Task, tasks_before
from .order import longest_increasing
from .parse import split_head
from .record import Record
from .runs import QUIET_LINE, TOP_TASK_LINE
from .structure import atx_heading
from .tally import tally

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import Unit


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

    def __init__(self, event: str, old: int | None, new: int | None, title: str, old_title: str | None, label: str,
                 old_label: str | None, section: tuple[str, ...] | None, old_section: tuple[str, ...] | None,
                 done: bool) -> None:
        # Record's own __init__ reads its fields by name (~3 µs); a history walk makes one event
        # per task a commit touches, 4,314 for the first commit of a real OpenSpec repository.
        self.event, self.old, self.new, self.title, self.old_title = event, old, new, title, old_title
        self.label, self.old_label, self.section, self.old_section, self.done = label, old_label, section, old_section, done


def _tasks_with_sections(doc: Document) -> tuple[list[int], list[tuple[str, ...]], list[int]]:
    """Unit index of each task, its section path, and the unit index of its heading (-1: root)."""
    units, paths = doc.units, doc.sections()
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
        same_section = pairs.get(n_head[k], -1) == o_head[j] if n_head[k] >= 0 else o_head[j] == -1
        moved = not same_section or (k, j) not in stable
        events += _changes(j, k, a, b, n_sec[k], o_sec[j] if moved else None)
    seen = {j for _, j in matched}
    for j, u in enumerate(o_at):
        if j not in seen:
            t = old_units[u]
            events.append(TaskEvent("removed", j, None, t.title.strip(), None, t.label, None, o_sec[j], None, t.done))  # type: ignore[union-attr]
    return events, dict(matched)


def _changes(j: int, k: int, a: Task, b: Task, section: tuple[str, ...],
             moved_from: tuple[str, ...] | None = None) -> list[TaskEvent]:
    """The events of old task ``a`` (index j) become new task ``b`` (index k) in ``section``:
    checked or unchecked, edited, moved (from ``moved_from``, when given), relabelled."""
    title, old_title = b.title.strip(), a.title.strip()
    out: list[TaskEvent] = []
    if a.done != b.done:
        out.append(TaskEvent("checked" if b.done else "unchecked", j, k, title, None, b.label, None, section, None, b.done))
    if title != old_title:
        out.append(TaskEvent("edited", j, k, title, old_title, b.label, None, section, None, b.done))
    if moved_from is not None:
        out.append(TaskEvent("moved", j, k, title, None, b.label, None, section, moved_from, b.done))
    if a.label != b.label:
        out.append(TaskEvent("relabelled", j, k, title, None, b.label, a.label, section, None, b.done))
    return out


def resolutions(first: list[TaskEvent], others: list[list[TaskEvent]]) -> list[TaskEvent]:
    """Of a merge's events against its first parent, those it has against every other parent
    too: what no parent had, the merge's own resolution. A change made on a branch is an event
    of the branch's commit, never counted again on the merge."""
    def key(e: TaskEvent) -> tuple[str, object]:
        return (e.event, e.new if e.new is not None else e.title)

    keys = [{key(e) for e in evs} for evs in others]
    return [e for e in first if all(key(e) in k for k in keys)]


def quick_events(old: Document, old_lines: tuple[str, ...], new_lines: tuple[str, ...]) -> tuple[Document, list[TaskEvent], dict[int, int]] | None:
    """The new version, its events and which new task is which old one (as ``task_events``
    gives them) without parsing or matching, when it differs from ``old`` only in task lines
    that keep their marker and their identity text (a check, an uncheck, a relabel, emphasis:
    the commonest commit), or by task lines inserted where nothing can read differently
    (``_inserted``). None whenever that is not certain; the caller then parses and runs
    :func:`task_events`, which this must always agree with.

    A history walk calls this once a commit on versions of a few dozen tasks: what it does
    per line or per unit is done in C (bisect, ``map``), and the new version takes over what
    was computed for the old one (``Document.derived``), so the work follows the change.
    """
    if old.reference:
        return None
    if len(old_lines) != len(new_lines):
        return _inserted(old, old_lines, new_lines)
    changed = list(compress(range(len(old_lines)), map(ne, old_lines, new_lines)))
    if not changed:
        return old, [], _same(old.task_count())
    units = list(old.units)
    swaps: list[tuple[int, Task, Task]] = []
    old_has, new_has = _lookup(old_lines, len(changed)), _lookup(new_lines, len(changed))
    for i in changed:
        ui = _task_at(units, i)
        line = new_lines[i]
        # A changed line must be a task line that stays one with the same marker and text
        # identity, and must not equal any line of the other version (the matcher would then
        # pair by whole lines first, possibly crosswise).
        if ui is None or "|" in line or line in old_has or old_lines[i] in new_has:
            return None
        try:
            parts = split_head(line)
        except ValueError:
            return None
        was = units[ui]
        assert isinstance(was, Task)
        if parts[0] != was.prefix or parts[6] != was.eol:
            return None
        now = Task(was.lead, *parts, was.body, was.depth, was.line, was.parent, line)
        units[ui] = now
        if normalize_title(parts[5]) != normalize_title(was.title):
            if len(changed) > 1:
                return None
            return _reworded(old, ui, was, now, tuple(units))
        swaps.append((ui, was, now))
    sections = old.sections()  # the headings and every unit's place are the old ones
    new = Document(old.bom, tuple(units), False, {"sections": sections, _TEXTS: _identity_texts(old)})
    events: list[TaskEvent] = []
    for ui, a, b in sorted(swaps, key=lambda s: s[0]):
        k = tasks_before(units, ui)
        events += _changes(k, k, a, b, sections[ui])
    return new, events, _same(old.task_count())


def _reworded(old: Document, ui: int, was: Task, now: Task, units: tuple[Unit, ...]) -> tuple[Document, list[TaskEvent], dict[int, int]] | None:
    """One task line whose identity text changed (a reword), nothing else: every other unit
    pairs with itself, and these two are the lone pair of their gap, which the matcher pairs
    when they are alike enough (``identity.LONE_GAP_SIMILARITY``; a shared label counts 0.1),
    else the task was removed and another added. Both identity texts must be unique among the
    tasks, or the matcher's passes by text could pair them otherwise."""
    old_key, new_key = normalize_title(was.title), normalize_title(now.title)
    texts = _identity_texts(old)
    if texts[old_key] > 1 or new_key in texts:
        return None
    new_texts = dict(texts)
    del new_texts[old_key]
    new_texts[new_key] = 1
    sections = old.sections()  # a task line changed: the headings and every unit's place stay
    new = Document(old.bom, units, False, {"sections": sections, _TEXTS: new_texts})
    k, count = tasks_before(units, ui), old.task_count()
    score = similarity(new_key, old_key) + (0.1 if was.label and was.label == now.label else 0.0)
    if score >= LONE_GAP_SIMILARITY:
        return new, _changes(k, k, was, now, sections[ui]), _same(count)
    events = [TaskEvent("added", None, k, now.title.strip(), None, now.label, None, sections[ui], None, now.done),
              TaskEvent("removed", k, None, was.title.strip(), None, was.label, None, sections[ui], None, was.done)]
    return new, events, {n: n for n in range(count) if n != k}


def _inserted(old: Document, old_lines: tuple[str, ...], new_lines: tuple[str, ...]) -> tuple[Document, list[TaskEvent], dict[int, int]] | None:
    """Task lines inserted at column 0 right after a task and before a top-level task line, a
    heading or the end (the other commonest commit): the new units and "added" events without
    a parse or the matcher, when nothing around the insertion can read differently.

    The task before must hold only quiet lines (``runs.QUIET_LINE``: task lines, plain
    indented lines, blank lines), so the new line closes it and opens a top-level item; the
    line after must start a unit of its own, so the inserted tasks have no details; no inserted
    line may equal an old line or share an old task's identity text, so the matcher pairs
    every old unit with itself and none with an inserted task.
    """
    k = len(new_lines) - len(old_lines)
    if k <= 0:
        return None
    p = 0
    limit = len(old_lines)
    while p < limit and old_lines[p] == new_lines[p]:
        p += 1
    if p == 0 or old_lines[p:] != new_lines[p + k:]:
        return None
    inserted = new_lines[p:p + k]
    if p < limit:
        after = old_lines[p]
        if not (TOP_TASK_LINE.fullmatch(after) or atx_heading(after.rstrip("\r\n")) is not None and after[:1] == "#"):
            return None
    units = old.units
    ui = bisect_right(units, p - 1, key=_LINE) - 1  # the unit holding line p-1
    before = units[ui] if ui >= 0 else None
    if type(before) is not Task or not old_lines[p - 1].strip(" \t\r\n"):
        return None
    if before.line + 1 + len(before.body) != p or not all(QUIET_LINE.fullmatch(line) for line in (before.source or before.head(), *before.body)):
        return None
    if ui + 1 < len(units) and units[ui + 1].line != p:
        return None  # something (a block) between: not a unit boundary here
    texts = _identity_texts(old)
    new_texts = dict(texts)
    new_tasks: list[Task] = []
    old_has = _lookup(old_lines, k)
    for n, line in enumerate(inserted):
        if line in old_has or not TOP_TASK_LINE.fullmatch(line):
            return None
        parts = split_head(line)
        key = normalize_title(parts[5])
        if key in new_texts:
            return None
        new_texts[key] = 1
        new_tasks.append(Task((), *parts, (), 0, p + n, None, line))
    shifted: list[Unit] = []
    for u in units[ui + 1:]:
        if type(u) is Task:
            parent = u.parent + k if u.parent is not None and u.parent >= p else u.parent
            shifted.append(Task(u.lead, u.prefix, u.state, u.gap, u.label, u.label_sep, u.title, u.eol, u.body,
                                u.depth, u.line + k, parent, u.source))
        else:
            shifted.append(u.replace(line=u.line + k))  # type: ignore[arg-type]
    new_units = (*units[:ui + 1], *new_tasks, *shifted)
    old_sections = old.sections()
    section = old_sections[ui]  # the inserted tasks follow a task: they sit under its headings
    sections = [*old_sections[:ui + 1], *[section] * k, *old_sections[ui + 1:]]
    new = Document(old.bom, new_units, False, {"sections": sections, _TEXTS: new_texts})
    first = tasks_before(units, ui + 1)  # task index of the first inserted
    events = [TaskEvent("added", None, first + n, t.title.strip(), None, t.label, None, section, None, t.done)
              for n, t in enumerate(new_tasks)]
    count = old.task_count()
    return new, events, dict(zip(chain(range(first), range(first + k, count + k)), range(count)))


_TEXTS = "identity texts"
_LINE = attrgetter("line")


def _identity_texts(doc: Document) -> dict[str, int]:
    """How many of the document's tasks have each identity text (computed once a document)."""
    texts = doc.derived.get(_TEXTS)
    if texts is None:
        texts = doc.derived[_TEXTS] = tally([normalize_title(t.title) for t in doc.tasks])
    return texts  # type: ignore[return-value]


def _lookup(lines: tuple[str, ...], asks: int) -> tuple[str, ...] | set[str]:
    """What to look lines up in: the tuple itself for a few lookups (a search in C), a set
    for many (a commit that checks a hundred tasks must not cost a hundred searches)."""
    return lines if asks <= 8 else set(lines)


def _task_at(units: list[Unit], line: int) -> int | None:
    """The index of the task unit whose first line is ``line`` (units are in line order)."""
    i = bisect_left(units, line, key=_LINE)
    return i if i < len(units) and units[i].line == line and type(units[i]) is Task else None


def _same(count: int) -> dict[int, int]:
    """Each of ``count`` tasks is the one at its own index."""
    return dict(zip(range(count), range(count)))
