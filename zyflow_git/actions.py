"""The verbs that act on tasks, for every face (CLI today; MCP and the board to come).

Each takes a repository and returns records; locking and the runtime log's compare-and-swap
live here and in ``runtime``, once. The checkbox is the file's: ``done`` is a checked box,
so setting a task done checks it in the working-tree file (its one line, byte for byte) and
setting another status on a checked task unchecks it; everything else is runtime state,
recorded in git (``runtime``).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from typing import Any, Iterator

from . import runtime
from .core.parse import parse_bytes
from .core.text import decode, encode
from .errors import BadInput
from .fsio import read_regular, write_atomic
from .reconcile import MAX_TASK_FILE_BYTES, Repo, _match_ids
from .store import STATUSES, resolve_task_id


@contextmanager
def locked(repo: Repo) -> Iterator[None]:
    """One writer of this work tree's task files at a time, across processes (a lock file
    beside the store: each worktree has its own files)."""
    import fcntl

    from .gitcli import git_path

    path = git_path("zyflow/actions.lock", repo.top)
    os.makedirs(path.parent, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def set_task(repo: Repo, conn: sqlite3.Connection, selector: str, *, status: str | None = None,
             assignee: str | None = None, note: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """Set a task's status, assignee or note; the state row and what was done, in words."""
    if status is not None and status not in STATUSES:
        raise BadInput(f"unknown status {status!r} (one of: {', '.join(STATUSES)})")
    tid = resolve_task_id(conn, selector)
    said: list[str] = []
    changes: dict[str, Any] = {}
    if status is not None:
        box = set_checkbox(repo, conn, tid, status == "done")
        if box:
            said.append(box)
        if status != "done":
            changes["status"] = status
    if assignee is not None:
        changes["assignee"] = assignee or None
    if note is not None:
        changes["note"] = note or None
    if changes:
        summary = f"set {tid} " + " ".join(f"{k}={v if v is not None else ''}" for k, v in changes.items())
        row = runtime.record(repo.top, conn, tid, changes, summary)
    else:
        row = dict(conn.execute("SELECT * FROM state WHERE task_id = ?", (tid,)).fetchone())
    return row, said


def set_checkbox(repo: Repo, conn: sqlite3.Connection, task_id: str, done: bool) -> str | None:
    """Check (or uncheck) the task's box in the working-tree file, changing only that line's
    box; None when it already was. The task is found through HEAD's version of the file."""
    row = conn.execute("SELECT path, label, title FROM tasks WHERE id = ?", (task_id,)).fetchone()
    if row is None:
        raise BadInput(f"{task_id}: not in the checked-out tree, so there is no box to "
                       f"{'check' if done else 'uncheck'}")
    path = row["path"]
    with locked(repo):
        data = read_regular(repo.top / path, MAX_TASK_FILE_BYTES)
        doc = parse_bytes(data)
        head_ids = [r[0] for r in conn.execute("SELECT id FROM tasks WHERE path = ? ORDER BY position", (path,))]
        blob = conn.execute("SELECT blob FROM files WHERE path = ?", (path,)).fetchone()
        from .gitcli import read_blobs

        head_data = read_blobs([blob[0]], repo.top).get(blob[0]) if blob else None
        ids = _match_ids(head_data, head_ids, doc) if head_data is not None else []
        if task_id not in ids:
            raise BadInput(f"{path}: task {task_id} ({row['title']}) is not in the working-tree file")
        k = ids.index(task_id)
        task = doc.tasks[k]
        if task.done == done:
            return None
        text = decode(data)
        at = task.line  # where the parser found its head line
        line = text.lines[at]
        box = len(task.prefix)
        assert line[box] == "[" and line[box + 2] == "]", (line, box)
        new = line[: box + 1] + ("x" if done else " ") + line[box + 2:]
        lines = text.lines[:at] + (new,) + text.lines[at + 1:]
        write_atomic(os.path.realpath(repo.top / path), encode(text.bom, "".join(lines)))
    label = f"{task.label} " if task.label else ""
    return (f"{'checked' if done else 'unchecked'} {label}{task.title.strip()} in {path}:{at + 1} "
            "(in the working tree: commit it to share)")
