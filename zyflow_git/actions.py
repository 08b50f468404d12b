"""The verbs that act on tasks, for every face (CLI, MCP server, board): one implementation.

Every write is read-check-write under one lock for the repository (in the common git dir, so
all worktrees share it): the task is found again under the lock, its version compared with
the one the caller expected (``StaleVersion``, exit 4), its holder checked (``Held``, exit 4),
and only then is the file or the runtime log written. The checkbox and the words are the
file's (written byte for byte: only the task's own bytes change, atomically, the file's mode
kept); status, assignee and note are runtime state, recorded in git (``runtime``).
Each verb returns an ``Outcome``: the task as it now is, and what was done, in words.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import contextmanager
from typing import Any, Iterator

from . import runtime
from .core import edits
from .core.model import Heading, Task
from .core.text import encode
from .errors import BadInput, CheckFailed, ConflictedFile, Held, NotFound, StaleVersion
from .fsio import write_atomic
from .reconcile import Repo
from .selectors import View, find, repo_path
from .store import STATUSES
from .worktree import WorkFile, WorkTask, carried, git_blob_id

_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")


class Outcome:
    """What a verb did: the task after it, whether anything changed, lines saying what, and
    the commit it made (``--commit``)."""

    def __init__(self, task: WorkTask, changed: bool, said: list[str], commit: str | None = None) -> None:
        self.task, self.changed, self.said, self.commit = task, changed, said, commit

    def as_dict(self) -> dict[str, Any]:
        return {**self.task.as_dict(), "changed": self.changed, "commit": self.commit, "messages": self.said}


@contextmanager
def locked(repo: Repo) -> Iterator[None]:
    """One writer of task files and runtime state at a time, across processes and worktrees."""
    import fcntl

    os.makedirs(repo.common_dir, exist_ok=True)
    with open(os.path.join(repo.common_dir, "actions.lock"), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def fresh_view(repo: Repo, conn: sqlite3.Connection) -> Iterator[View]:
    """Under the lock: the runtime projection caught up, the working tree read now."""
    with locked(repo):
        runtime.catch_up(repo.top, conn)
        yield View(repo, conn)


def _expect(task: WorkTask, expect: str | None) -> None:
    if expect is not None and expect != task.version:
        raise StaleVersion(f"{_name(task)}: version is {task.version}, not {expect}: it changed since it was read "
                           "(read it again, then retry)", task.version, task.holder)


_UNSHARED = " (in the working tree: commit it to share)"


def _where(task: WorkTask) -> str:
    """``1.3 Login endpoint in tasks.md:5``: how a message names a task a person knows."""
    return f"{task.label + ' ' if task.label else ''}{task.title} in {task.path}:{task.line}"


def _name(task: WorkTask) -> str:
    label = f"#{task.label}" if task.label else ""
    return f"{task.path}{label} ({task.id})"


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise BadInput("a task needs a title (got an empty one)")
    if _UNPRINTABLE.search(title):
        raise BadInput("a title is one line of text: no line breaks or control characters")
    return title


# -- file writes -----------------------------------------------------------------------------------


def _writable(repo: Repo, wf: WorkFile, commit: bool) -> None:
    """Refuse to write a file in conflict, or (to commit it alone) one holding other edits."""
    from .core.conflicts import holds_regions
    from .gitcli import index_entries

    if wf.data is None:
        raise NotFound(f"{wf.path}: not in the working tree")
    if holds_regions(wf.data):
        raise ConflictedFile(f"{wf.path}: holds conflict markers; resolve them first (`zyflow-git resolve {wf.path}`)")
    entries = index_entries("--", f":(literal){wf.path}", cwd=repo.top)  # one read for both questions
    if any(stage for _, stage, _ in entries):
        raise ConflictedFile(f"{wf.path}: is being merged (unmerged in the index); finish the merge or rebase first")
    if commit:
        staged_blob = next((sha for sha, _, _ in entries), None)
        if wf.head_blob is None or git_blob_id(wf.data) != wf.head_blob or staged_blob != wf.head_blob:
            raise BadInput(f"{wf.path}: holds uncommitted edits; --commit commits this change alone "
                           "(commit or stash them first, or leave out --commit)")


def _write(repo: Repo, wf: WorkFile, lines: tuple[str, ...]) -> bytes:
    text, _ = wf.parsed()
    data = encode(text.bom, "".join(lines))
    write_atomic(os.path.realpath(repo.top / wf.path), data)
    return data


def _commit(repo: Repo, wf: WorkFile, subject: str, trailer: str) -> str:
    """Commit ``wf``'s file alone (other staged changes stay staged); the new commit's id.
    If git refuses (a hook said no), the file gets its old bytes back."""
    from .gitcli import git

    proc = git("commit", "--quiet", "--only", "-m", subject, "-m", f"Zyflow-Task: {trailer}", "--",
               f":(literal){wf.path}", cwd=repo.top, check=False)
    if proc.returncode != 0:
        assert wf.data is not None
        write_atomic(os.path.realpath(repo.top / wf.path), wf.data)
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CheckFailed(f"{wf.path}: git commit failed ({message[-1] if message else 'exit ' + str(proc.returncode)}); "
                          "the file is as it was")
    return git("rev-parse", "HEAD", cwd=repo.top).stdout.decode().strip()


def _short(title: str) -> str:
    return title if len(title) <= 60 else title[:57].rstrip() + "..."


def _edit_file(repo: Repo, conn: sqlite3.Connection, wf: WorkFile, lines: tuple[str, ...], task_id: str | None,
               commit: str | None, trailer_event: str, position: int, *, inserted: bool = False,
               words_kept: bool = True) -> tuple[WorkTask, str | None]:
    """Write the file, commit it when asked, and read the task back: by id, or at ``position``
    for a new task. Where the write kept every task's words (a box, an insert), ids are
    carried along without matching the file to HEAD again."""
    data = _write(repo, wf, lines)
    before = wf.tasks[position] if task_id is not None and position < len(wf.tasks) else None
    task: WorkTask | None
    if before is not None and words_kept and not inserted:  # a box: only this task's lines moved
        _, doc = WorkFile(wf.path, data, wf.head_blob).parsed()
        task = before.rewritten(conn, doc.tasks[position])
    else:
        again = carried(conn, wf, data, position if inserted else None) if words_kept else None
        if again is None:
            again = View(repo, conn).file(wf.path)
        task = again.tasks[position] if task_id is None else next((t for t in again.tasks if t.id == task_id), None)
        if task is None:
            task = again.tasks[position]
    made = None
    if commit is not None:
        made = _commit(repo, wf, commit, f"{task.id} {trailer_event}")
        task.uncommitted, task.provisional = None, False  # committed as is: its id is final
    return task, made


# -- the verbs -------------------------------------------------------------------------------------


def check(repo: Repo, conn: sqlite3.Connection, selector: str, done: bool = True, *, expect: str | None = None,
          commit: bool = False) -> Outcome:
    """Check (or uncheck) a task's box in the working-tree file."""
    with fresh_view(repo, conn) as view:
        task = find(view, selector)
        _expect(task, expect)
        wf = task.file
        if task.done == done and wf.parsed()[1].tasks[task.position].state in ("xX" if done else " "):
            return Outcome(task, False, [f"{_name(task)} was already {'checked' if done else 'unchecked'}"])
        _writable(repo, wf, commit)
        text, doc = wf.parsed()
        lines = edits.set_box(text.lines, doc, wf.unit(task), done)
        verb = "Check" if done else "Uncheck"
        subject = f"{verb} {task.label + ' ' if task.label else ''}{_short(task.title)}" if commit else None
        after, made = _edit_file(repo, conn, wf, lines, task.id, subject, "checked" if done else "unchecked", task.position)
    return Outcome(after, True, [f"{verb.lower()}ed {_where(after)}" + (f" (committed {made[:8]})" if made else _UNSHARED)], made)


def edit(repo: Repo, conn: sqlite3.Connection, selector: str, title: str, *, expect: str | None = None,
         commit: bool = False) -> Outcome:
    """Reword a task, keeping its label, checkbox, tags and details."""
    title = _check_title(title)
    with fresh_view(repo, conn) as view:
        task = find(view, selector)
        _expect(task, expect)
        wf = task.file
        _writable(repo, wf, commit)
        text, _ = wf.parsed()
        lines = edits.retitle(text.lines, wf.unit(task), title)
        if lines == text.lines:
            return Outcome(task, False, [f"{_name(task)} already reads so"])
        subject = f"Edit {task.label + ' ' if task.label else ''}{_short(title)}" if commit else None
        after, made = _edit_file(repo, conn, wf, lines, task.id, subject, "edited", task.position, words_kept=False)
    said = [f"reworded {_where(after)}" + (f" (committed {made[:8]})" if made else _UNSHARED)]
    if after.id != task.id:
        said.append(f"the new words are another task to history: its id is now {after.id} (was {task.id})")
    return Outcome(after, True, said, made)


def add(repo: Repo, conn: sqlite3.Connection, title: str, *, after: str | None = None, under: str | None = None,
        into: str | None = None, commit: bool = False) -> Outcome:
    """Insert a new open task after a task (and its subtasks), as the last subtask of a task,
    or at the end of a file or of one of its sections, labelled as the file's scheme says."""
    title = _check_title(title)
    if sum(x is not None for x in (after, under, into)) != 1:
        raise BadInput("say where: one of --after SEL, --under SEL or --in PATH[#HEADING]")
    with fresh_view(repo, conn) as view:
        if into is not None:
            wf, anchor, heading = _place_in(view, into)
        else:
            ref = find(view, after or under or "")
            wf, anchor, heading = ref.file, ref, None
        _writable(repo, wf, commit)
        text, doc = wf.parsed()
        lines, position, moves = _insert(text.lines, doc, wf, anchor, under is not None, heading, title)
        subject = f"Add {_short(title)}" if commit else None
        task, made = _edit_file(repo, conn, wf, lines, None, subject, "added", position, inserted=True)
    said = [f"added {task.id} {_where(task)}" + (f" (committed {made[:8]})" if made else _UNSHARED)]
    said += [f"relabelled {t.label} -> {new}: {t.title.strip()}" for t, new in moves]
    return Outcome(task, True, said, made)


def _place_in(view: View, text: str) -> tuple[WorkFile, WorkTask | None, tuple[int, Heading] | None]:
    """``PATH[#HEADING]``: the file, the last top-level task of that part of it, the heading."""
    raw, wanted = text, ""
    for k, ch in enumerate(text):  # PATH#HEADING: the first '#' after which PATH names a task file
        if ch == "#" and repo_path(view.repo, text[:k]) in view.paths():
            raw, wanted = text[:k], text[k + 1:]
            break
    path = repo_path(view.repo, raw)
    if path not in view.paths() and not view.repo.is_task_file(path):
        raise NotFound(f"{raw}: not a task file (its patterns are in .zyflow.toml)")
    wf = view.file(path)
    if wf.data is None:
        raise NotFound(f"{raw}: not in the working tree")
    _, doc = wf.parsed()
    span = range(len(doc.units))
    heading: tuple[int, Heading] | None = None
    if wanted:
        hits = [(k, names) for k, names in edits.sections(doc) if _heading_matches(names[-1], wanted)]
        if not hits:
            known = "; ".join(n[-1] for _, n in edits.sections(doc)[:8])
            raise NotFound(f"{path}: no section headed {wanted!r}" + (f" (there are: {known})" if known else " (it has no headings)"))
        if len(hits) > 1:
            raise BadInput(f"{path}: {len(hits)} sections are headed {wanted!r}; name one by its full heading")
        k = hits[0][0]
        unit = doc.units[k]
        assert isinstance(unit, Heading)
        heading = (k, unit)
        span = edits.section_of(doc, k)
    in_span = [i for i in span if isinstance(doc.units[i], Task)]
    if not in_span:
        return wf, None, heading
    top = min(doc.units[i].depth for i in in_span)  # type: ignore[union-attr]
    last = [i for i in in_span if doc.units[i].depth == top][-1]  # type: ignore[union-attr]
    index = sum(1 for u in doc.units[:last] if isinstance(u, Task))
    return wf, wf.tasks[index], heading


def _heading_matches(heading: str, wanted: str) -> bool:
    from .core.identity import normalize_heading

    a, b = " ".join(heading.split()).casefold(), " ".join(wanted.split()).casefold()
    return a == b or normalize_heading(heading) == normalize_heading(wanted)


def _insert(lines: tuple[str, ...], doc: Any, wf: WorkFile, anchor: WorkTask | None, as_child: bool,
            heading: tuple[int, Heading] | None, title: str) -> tuple[tuple[str, ...], int, list[tuple[Task, str]]]:
    """The new lines, the new task's index among the file's tasks, and the relabelled tasks."""
    units = doc.units
    index_of = {id(u): k for k, u in enumerate(units)}
    tasks = doc.tasks
    eol = edits.dominant_eol(lines)
    if anchor is None:  # an empty section (or a file without tasks): first task there
        like = tasks[0] if tasks else None
        prefix = like.prefix.lstrip(" \t") if like is not None else "- "
        prefix = re.sub(r"\d+([.)])", r"1\1", prefix)
        label = edits.next_label(doc, [], None, None, heading[1] if heading else None)
        new = edits.task_line(like, prefix, label, title, eol)
        if heading is not None:
            at = edits.unit_end_line(doc, heading[0])
            position = sum(1 for u in units[: heading[0]] if isinstance(u, Task))
            return edits.insert_lines(lines, at, [eol, new]), position, []
        blank = [eol] if lines and lines[-1].strip() else []
        return edits.insert_lines(lines, len(lines), blank + [new]), len(tasks), []
    ref = tasks[anchor.position]
    k = index_of[id(ref)]
    end = edits.subtree_end(doc, k)
    at = edits.unit_end_line(doc, end - 1)
    position = sum(1 for u in units[:end] if isinstance(u, Task))
    if as_child:
        children = [u for u in units[k + 1:end] if isinstance(u, Task) and u.parent == ref.line]
        like = children[-1] if children else ref
        prefix = children[-1].prefix if children else edits.child_prefix(ref)
        label = edits.next_label(doc, children, None, ref, None)
        moves: list[tuple[Task, str]] = []
    else:
        siblings = [u for u in tasks if u.parent == ref.parent and u.depth == ref.depth]
        like, prefix = ref, ref.prefix
        label = edits.next_label(doc, siblings, ref, None, None)
        moves = edits.shifted(doc, [s for s in siblings if s.line > ref.line], label)
    new = edits.task_line(like, prefix, label, title, ref.eol or eol)
    lines = edits.relabel(lines, moves)
    return edits.insert_lines(lines, at, [new]), position, moves


def claim(repo: Repo, conn: sqlite3.Connection, selector: str, name: str, *, expect: str | None = None) -> Outcome:
    """Take a task: status in_progress, assignee ``name``; refused (exit 4) when someone else
    holds it or it is done."""
    name = _check_name(name)
    with fresh_view(repo, conn) as view:
        task = find(view, selector)
        _expect(task, expect)
        done = claim_checks(task, name)
        if done is not None:
            return done
        runtime.record(repo.top, conn, task.id, {"status": "in_progress", "assignee": name},
                       f"claim {task.id} as {name}")
        after = task.reread_runtime(conn)
    return Outcome(after, True, [f"claimed {_name(after)} {after.title} as {name}"])


def claim_checks(task: WorkTask, name: str) -> Outcome | None:
    """Whether ``name`` may claim ``task``: ``Held`` (exit 4) when it is done or someone else
    holds it; an unchanged outcome when it is already theirs; None to go on."""
    if task.done:
        raise Held(f"{_name(task)} is done (its box is checked): nothing to claim", task.version, None)
    if task.holder is not None and task.holder != name:
        raise Held(f"{_name(task)} is held by {task.holder} ({task.runtime_status}, version {task.version})",
                   task.version, task.holder)
    if task.holder == name and task.runtime_status == "in_progress":
        return Outcome(task, False, [f"{_name(task)} is already yours"])
    return None


def release(repo: Repo, conn: sqlite3.Connection, selector: str, name: str | None = None, *,
            expect: str | None = None) -> Outcome:
    """Give a task back (status todo, no assignee); with ``name``, only if ``name`` holds it."""
    with fresh_view(repo, conn) as view:
        task = find(view, selector)
        _expect(task, expect)
        if name is not None and task.holder is not None and task.holder != _check_name(name):
            raise Held(f"{_name(task)} is held by {task.holder}, not {name}", task.version, task.holder)
        if task.assignee is None and task.runtime_status == "todo":
            return Outcome(task, False, [f"{_name(task)} was not held"])
        runtime.record(repo.top, conn, task.id, {"status": "todo", "assignee": None},
                       f"release {task.id}" + (f" from {task.assignee}" if task.assignee else ""))
        after = task.reread_runtime(conn)
    return Outcome(after, True, [f"released {_name(after)}" + (f" (was {task.assignee})" if task.assignee else "")])


def set_task(repo: Repo, conn: sqlite3.Connection, selector: str, *, status: str | None = None,
             assignee: str | None = None, note: str | None = None, expect: str | None = None) -> Outcome:
    """Set a task's status, assignee or note. ``done`` checks the box in the file; another
    status on a checked task unchecks it; the rest is runtime state."""
    if status is not None and status not in STATUSES:
        raise BadInput(f"unknown status {status!r} (one of: {', '.join(STATUSES)})")
    said: list[str] = []
    with fresh_view(repo, conn) as view:
        task = find(view, selector)
        _expect(task, expect)
        changed = False
        if status is not None and task.done != (status == "done"):
            wf = task.file
            _writable(repo, wf, False)
            text, doc = wf.parsed()
            lines = edits.set_box(text.lines, doc, wf.unit(task), status == "done")
            task, _ = _edit_file(repo, conn, wf, lines, task.id, None, "", task.position)
            said.append(f"{'checked' if status == 'done' else 'unchecked'} {_where(task)}{_UNSHARED}")
            changed = True
        changes: dict[str, Any] = {}
        if status is not None and status != "done" and status != task.runtime_status:
            changes["status"] = status
        if assignee is not None and (assignee or None) != task.assignee:
            changes["assignee"] = assignee or None
        if note is not None and (note or None) != task.note:
            changes["note"] = note or None
        if changes:
            summary = f"set {task.id} " + " ".join(f"{k}={v if v is not None else ''}" for k, v in changes.items())
            runtime.record(repo.top, conn, task.id, changes, summary)
            said.append(summary.removeprefix("set "))
            changed = True
            task = task.reread_runtime(conn)
    return Outcome(task, changed, said)




def _check_name(name: str) -> str:
    name = name.strip()
    if not name or _UNPRINTABLE.search(name) or len(name) > 200:
        raise BadInput("a name (--as) is one line of text, 1 to 200 characters")
    return name
