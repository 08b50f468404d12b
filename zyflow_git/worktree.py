"""The task files as they are in the working tree: what the verbs act on.

Each task carries its id (HEAD's, matched to the working tree's version by the merge
driver's matcher; a task only the working tree has gets the id a commit of the file as it is
would give it, marked provisional), its runtime state and its version. A file as committed is
answered from the store without parsing; a file with edits is parsed and matched once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from typing import Any

from .core.edits import digest as unit_digest
from .core.edits import version as make_version
from .core.identity import task_ids
from .core.model import Document, Task
from .core.parse import parse_text
from .core.text import Text, decode
from .errors import BadInput
from .fsio import read_regular
from .reconcile import MAX_TASK_FILE_BYTES, Repo, _match_ids
from .tasklist import FIELDS, task_records

# A task's runtime row: (task_id, status, status_before_done, assignee, note, updated_at).
Runtime = tuple
RUNTIME_SQL = "SELECT task_id, status, status_before_done, assignee, note, updated_at FROM state"


class WorkTask:
    """One task of the working tree, with its runtime state."""

    __slots__ = ("id", "provisional", "path", "label", "title", "done", "sections", "line",
                 "depth", "parent", "digest", "uncommitted", "runtime", "position", "file")
    id: str
    provisional: bool
    path: str
    label: str
    title: str
    done: bool
    sections: str | list[str]  # JSON as the store keeps it, decoded when asked for
    line: int
    depth: int
    parent: str | None
    digest: str
    uncommitted: str | None
    runtime: Runtime | None
    position: int
    file: WorkFile

    def __init__(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def section(self) -> list[str]:
        """The headings above the task, outermost first."""
        if isinstance(self.sections, str):
            self.sections = json.loads(self.sections)
        return self.sections  # type: ignore[return-value]

    @property
    def status(self) -> str:
        """``done`` when the box is checked, else the runtime status."""
        return "done" if self.done else self.runtime_status

    @property
    def runtime_status(self) -> str:
        return runtime_fields(self.runtime)[0]

    @property
    def assignee(self) -> str | None:
        return self.runtime[3] if self.runtime is not None else None

    @property
    def note(self) -> str | None:
        return self.runtime[4] if self.runtime is not None else None

    @property
    def holder(self) -> str | None:
        """Who holds the task: its assignee while it is open."""
        return None if self.done else self.assignee

    @property
    def version(self) -> str:
        return make_version(self.digest, runtime_fields(self.runtime))

    @property
    def selector(self) -> str:
        """``path#label`` when the label names it in its file, else the id."""
        return f"{self.path}#{self.label}" if self.label else self.id

    def rewritten(self, conn: sqlite3.Connection, unit: Task) -> WorkTask:
        """This task after a write that kept its place and words (its box): the new lines'
        digest, and whether it now differs from HEAD."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        fields.update(done=unit.done, digest=unit_digest(unit))
        if not self.provisional:
            row = conn.execute("SELECT digest FROM tasks WHERE id = ?", (self.id,)).fetchone()
            fields["uncommitted"] = None if row is not None and row[0] == fields["digest"] else "changed"
        return WorkTask(**fields)

    def reread_runtime(self, conn: sqlite3.Connection) -> WorkTask:
        """This task after a runtime write: its state row read again (its lines did not move)."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        cursor = conn.cursor()
        cursor.row_factory = None
        fields["runtime"] = cursor.execute(f"{RUNTIME_SQL} WHERE task_id = ?", (self.id,)).fetchone()
        return WorkTask(**fields)

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in FIELDS if k != "updated_at"}
        out["updated_at"] = self.runtime[5] if self.runtime is not None else None
        out["uncommitted"] = self.uncommitted
        out["provisional"] = self.provisional
        return out


class WorkFile:
    """One task file of the working tree. ``data`` is None when the file is missing."""

    def __init__(self, path: str, data: bytes | None, head_blob: str | None) -> None:
        self.path = path
        self.data = data
        self.head_blob = head_blob
        self.tasks: list[WorkTask] = []
        self.removed: list[dict[str, Any]] = []  # HEAD's tasks the working tree no longer has
        self._parsed: tuple[Text, Document] | None = None

    def parsed(self) -> tuple[Text, Document]:
        """The file's lines and document (parsed once)."""
        if self._parsed is None:
            if self.data is None:
                raise BadInput(f"{self.path}: not in the working tree")
            text = decode(self.data)
            self._parsed = (text, parse_text(text))
        return self._parsed

    def unit(self, task: WorkTask) -> Task:
        """The parsed unit of one of this file's tasks."""
        return self.parsed()[1].tasks[task.position]

    @property
    def changed(self) -> bool:
        return any(t.uncommitted for t in self.tasks) or bool(self.removed)


def runtime_fields(row: Runtime | None) -> tuple[str, str | None, str | None]:
    """(status, assignee, note) as the runtime log set them: the status is the one the log
    gave, whether or not the box is checked (the store keeps it aside while it is)."""
    if row is None:
        return "todo", None, None
    status = row[2] if row[1] == "done" else row[1]
    return status or "todo", row[3], row[4]


def git_blob_id(data: bytes) -> str:
    """The id git gives ``data`` as a blob (SHA-1 repositories)."""
    from .core.hashes import sha1

    return sha1(b"blob %d\0" % len(data) + data).hexdigest()


def runtime_rows(conn: sqlite3.Connection) -> dict[str, Runtime]:
    """Every task's runtime row, as plain tuples (a sqlite3.Row per task cost more than the query)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return {r[0]: r for r in cursor.execute(RUNTIME_SQL)}


def task_paths(repo: Repo, conn: sqlite3.Connection) -> list[str]:
    """The task files of the working tree and of HEAD, sorted."""
    from .gitcli import git

    listed = git("ls-files", "-z", "-c", "-o", "--exclude-standard", cwd=repo.top).stdout.split(b"\0")
    files = {r[0] for r in conn.execute("SELECT path FROM files")}
    paths = {p.decode("utf-8", "surrogateescape") for p in listed if p} | files
    return sorted(p for p in paths if repo.is_task_file(p))


def load(repo: Repo, conn: sqlite3.Connection, paths: list[str] | None = None) -> list[WorkFile]:
    """The working tree's task files (all, or ``paths``), each with its tasks."""
    if paths is None:
        paths = task_paths(repo, conn)
    heads = {r["path"]: r["blob"] for r in conn.execute("SELECT path, blob FROM files")}
    runtime = runtime_rows(conn)
    missing = [p for p in paths if not os.path.lexists(repo.top / p)]
    sparse = _skip_worktree(repo, missing) if missing else set()
    out = []
    for path in paths:
        rows = [dict(r) for r in conn.execute("SELECT * FROM tasks WHERE path = ? ORDER BY position", (path,))]
        data: bytes | None = None
        committed = path in sparse  # outside a sparse checkout's cone: not removed, only not here
        if not committed and path not in missing:
            try:
                data = read_regular(repo.top / path, MAX_TASK_FILE_BYTES)
            except BadInput as err:  # a link, a FIFO, a huge file: not read, said once
                print(f"zyflow-git: warning: {err}; shown as committed", file=sys.stderr)
                committed = True
        wf = WorkFile(path, data, heads.get(path))
        if committed or (rows and as_committed(wf.head_blob, data, [r["digest"] for r in rows])):
            wf.tasks = [_from_row(r, runtime, wf) for r in rows]
        elif data is None:
            wf.removed = rows
        else:
            _match(repo, wf, rows, runtime)
        out.append(wf)
    return out


def versions(repo: Repo, conn: sqlite3.Connection, paths: list[str]) -> dict[str, str]:
    """id -> version of the working tree's tasks of ``paths``; a file as committed is answered
    from the store's digests without building its tasks."""
    runtime = runtime_rows(conn)
    heads = {r["path"]: r["blob"] for r in conn.execute("SELECT path, blob FROM files")}
    by_path: dict[str, list[tuple[str, str]]] = {}
    for path, tid, text_digest in conn.execute("SELECT path, id, digest FROM tasks ORDER BY path, position"):
        by_path.setdefault(path, []).append((tid, text_digest))
    out: dict[str, str] = {}
    edited = []
    for path in paths:
        rows = by_path.get(path, [])
        try:
            data: bytes | None = read_regular(repo.top / path, MAX_TASK_FILE_BYTES)
        except BadInput:
            data = None
        if not as_committed(heads.get(path), data, [d for _, d in rows]):
            edited.append(path)
            continue
        out.update((tid, make_version(text_digest, runtime_fields(runtime.get(tid)))) for tid, text_digest in rows)
    if edited:  # read with their edits, matched to HEAD, all in one load
        out.update((t.id, t.version) for wf in load(repo, conn, edited) for t in wf.tasks)
    return out


def as_committed(head_blob: str | None, data: bytes | None, digests: list[str]) -> bool:
    """Whether a file's bytes are its HEAD blob and the store knows every task's digest: then
    the store's rows describe it, and nothing needs parsing."""
    return data is not None and head_blob == git_blob_id(data) and all(digests)


def _from_row(row: dict[str, Any], runtime: dict[str, Runtime], wf: WorkFile) -> WorkTask:
    return WorkTask(id=row["id"], provisional=False, path=row["path"], label=row["label"], title=row["title"],
                    done=bool(row["done"]), sections=row["section"], line=row["line"], depth=row["depth"],
                    parent=row["parent"], digest=row["digest"], uncommitted=None, runtime=runtime.get(row["id"]),
                    position=row["position"], file=wf)


def _match(repo: Repo, wf: WorkFile, rows: list[dict[str, Any]], runtime: dict[str, Runtime]) -> None:
    """Name the tasks of an edited file: HEAD's ids by matching, provisional ids for the rest."""
    from .gitcli import read_blobs

    _, doc = wf.parsed()
    records = task_records(doc, wf.path)
    head_ids = [r["id"] for r in rows]
    head_data = read_blobs([wf.head_blob], repo.top).get(wf.head_blob) if wf.head_blob and rows else None
    same = head_data is not None and head_data == wf.data
    ids: list[str | None] = list(head_ids) if same and len(head_ids) == len(records) else (
        _match_ids(head_data, head_ids, doc) if rows else [None] * len(records))
    _name_tasks(wf, records, ids, rows, runtime)


def _name_tasks(wf: WorkFile, records: list[dict[str, Any]], ids: list[str | None], rows: list[dict[str, Any]],
                runtime: dict[str, Runtime]) -> None:
    """Fill ``wf.tasks`` from its records and the HEAD id of each (None: only the working tree
    has it). Such a task gets the id a commit of this file would give it (identity.task_ids
    from HEAD's version): provisional, final once committed as is."""
    _, doc = wf.parsed()
    final = task_ids(wf.path, [r["key"] for r in records], ids)
    by_id = {r["id"]: r for r in rows}
    by_line = {rec["line"]: final[k] for k, rec in enumerate(records)}
    seen = set()
    wf.tasks = []
    for k, (rec, unit) in enumerate(zip(records, doc.tasks)):
        head = by_id.get(ids[k]) if ids[k] else None
        text_digest = unit_digest(unit)
        if head is not None:
            seen.add(head["id"])
            same_task = (head["digest"] == text_digest if head["digest"] else
                         (head["title"], head["label"], bool(head["done"])) == (rec["title"], rec["label"], rec["done"]))
        tid = final[k]
        wf.tasks.append(WorkTask(
            id=tid, provisional=head is None, path=wf.path, label=rec["label"], title=rec["title"], done=rec["done"],
            sections=rec["section"], line=rec["line"], depth=rec["depth"],
            parent=by_line.get(rec["parent_line"]) if rec["parent_line"] else None, digest=text_digest,
            uncommitted="added" if head is None else (None if same_task else "changed"), runtime=runtime.get(tid),
            position=k, file=wf))
    wf.removed = [r for r in rows if r["id"] not in seen]


def carried(conn: sqlite3.Connection, before: WorkFile, data: bytes, inserted: int | None = None) -> WorkFile | None:
    """The file after a write that kept every task in place and their identity texts (a box
    flipped, labels moved) and inserted at most one (at task index ``inserted``): each task
    keeps the id it had, without matching again. None when the shapes do not agree."""
    wf = WorkFile(before.path, data, before.head_blob)
    _, doc = wf.parsed()
    records = task_records(doc, wf.path)
    ids: list[str | None] = [None if t.provisional else t.id for t in before.tasks]
    keys = [t.title for t in before.tasks]
    if inserted is not None:
        ids.insert(inserted, None)
        keys.insert(inserted, records[inserted]["title"] if inserted < len(records) else "")
    if len(ids) != len(records) or any(k != r["title"] for k, r in zip(keys, records)):
        return None
    rows = [dict(r) for r in conn.execute("SELECT * FROM tasks WHERE path = ? ORDER BY position", (wf.path,))]
    _name_tasks(wf, records, ids, rows, runtime_rows(conn))
    return wf


def _skip_worktree(repo: Repo, paths: list[str]) -> set[str]:
    """Which of ``paths`` git keeps out of the work tree on purpose (sparse checkout)."""
    from .gitcli import git

    listed = git("ls-files", "-t", "-z", "--", *[f":(literal){p}" for p in paths], cwd=repo.top, check=False).stdout
    return {e[2:].decode("utf-8", "surrogateescape") for e in listed.split(b"\0") if e.startswith(b"S ")}
