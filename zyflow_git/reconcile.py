"""Reconcile the state store with the checked-out commit: git is the truth, one way.

Only files whose blob changed are re-parsed. Each changed file's tasks are matched to the
rows of its previous version with the merge driver's matcher, so a task keeps its id (and its
runtime state) across checks, renumbering, moves and edits. A task that is gone keeps its
state row, marked gone, and gets it back when it returns. Everything is written in one
transaction: a reader sees the old state or the new, never a mix.
"""

from __future__ import annotations

import os

from . import sqlite as sqlite3
from . import config as cfg
from .gitcli import blob_sizes, git, git_out, git_path, read_blobs, toplevel, tree_blobs
from .store import blob_ids, bulk_rows, json_list, now, open_store, rollback, section_json
from .limits import SIZE_LIMIT as MAX_TASK_FILE_BYTES

TYPE_CHECKING = False  # typing costs ~4 ms to import, in a hook's budget
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from .core.model import Document
    from .core.text import Text


class Repo:
    """Where things are for one worktree: ``root`` is the work tree's top as a string (for
    git's cwd and os.path), ``top`` the same as a Path."""

    def __init__(self, cwd: str | os.PathLike[str] | None = None) -> None:
        # One git call for the three paths and HEAD (a hook's budget counts processes).
        proc = git("rev-parse", "--path-format=absolute", "--show-toplevel", "--git-path", "zyflow",
                   "--git-common-dir", "HEAD", cwd=cwd, check=False)
        lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
        self.head: str | None
        if proc.returncode == 0 and len(lines) == 4:
            self.root, zdir, common, self.head = lines[0], lines[1], lines[2], lines[3]
        else:  # no commit yet (or not a repository: toplevel() says so)
            self.root, zdir, self.head = str(toplevel(cwd)), str(git_path("zyflow", cwd)), None
            common = git_out("rev-parse", "--path-format=absolute", "--git-common-dir", cwd=cwd)
        # What all worktrees share (the lock of the verbs) lives in the common git dir.
        self.common_dir = os.path.join(common, "zyflow")
        self.db_path = os.path.join(zdir, "state.db")
        self.head_file = os.path.join(zdir, "head")
        self.config = cfg.load(self.root, zdir)
        self.is_task_file = cfg.matcher(self.config.patterns).match
        self._head_files: dict[str, str] | None = None
        self._top: Path | None = None

    @property
    def top(self) -> Path:
        """The work tree's top as a Path, made at first use: pathlib (with urllib.parse, fnmatch
        and re) costs ~15 ms to import, and a read of a fresh store or a hook needs no Path."""
        if self._top is None:
            from pathlib import Path

            self._top = Path(self.root)
        return self._top

    def head_files(self) -> dict[str, str]:
        """path -> blob of HEAD's task files, read once (a freshness check and the sync that
        follows it both need them; each read is a git ls-tree)."""
        if self._head_files is None:
            self._head_files = task_files(self, self.head)
        return self._head_files


def task_files(repo: Repo, rev: str | None) -> dict[str, str]:
    """path -> blob of the task files in ``rev`` (none on an unborn branch)."""
    if rev is None:
        return {}
    return {p: b for p, b in tree_blobs(rev, repo.root).items() if repo.is_task_file(p)}


class SyncReport:
    def __init__(self) -> None:
        self.head: str | None = None
        self.files_changed = 0
        self.added = 0
        self.removed = 0
        self.kept = 0
        self.skipped: list[str] = []  # task files too large to track (one warning each)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def sync(repo: Repo, conn: sqlite3.Connection | None = None) -> SyncReport:
    """Make the store mirror HEAD's task files; returns what changed."""
    own = conn is None
    conn = conn or open_store(repo.db_path)
    try:
        report = SyncReport()
        head = repo.head
        report.head = head
        wanted = repo.head_files()
        parsed: dict[str, Document] = {}
        if wanted and conn.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None:
            parsed = _read_history(repo, conn)  # a new store: ids come from history, as everywhere else
        conn.execute("BEGIN IMMEDIATE")
        try:
            _apply(repo, conn, head, wanted, report, parsed)
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
        _write_head_file(repo, head)
        for path in report.skipped:
            import sys

            print(f"zyflow-git: warning: {path} is larger than {MAX_TASK_FILE_BYTES // (1024 * 1024)} MiB; "
                  "its tasks are not tracked", file=sys.stderr)
        return report
    finally:
        if own:
            conn.close()


def _read_history(repo: Repo, conn: sqlite3.Connection) -> dict[str, Document]:
    """Walk the history once (the audit), so that a new store names HEAD's tasks as every other
    worktree and clone does; a progress bar on a terminal, none in hooks. The file versions the
    walk parsed last (blob -> document), for the sync that follows (HEAD's are among them)."""
    from .audit import Audit
    from .progress import reporting

    audit = Audit(repo, conn)
    reporting("reading history", lambda bar: audit.backfill(progress=bar))
    return audit.parsed()


def settle_ids(repo: Repo, conn: sqlite3.Connection) -> int:
    """Make the store's ids history's: the audit reads the commits it has not read (once per
    new HEAD; commands call this, hooks do not, to stay within their budget), and a file whose
    rows a hook named by carrying along the store's own previous version is renamed to the ids
    history gives it. Runtime state moves with its task; the old id stays usable as an alias.
    Returns how many ids changed."""
    if repo.head is None or conn.execute("SELECT 1 FROM audit_commits WHERE commit_id = ?", (repo.head,)).fetchone():
        return 0
    _read_history(repo, conn)
    changed = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for path, blob in conn.execute("SELECT path, blob FROM files").fetchall():
            ids = [r[0] for r in conn.execute("SELECT id FROM tasks WHERE path = ? ORDER BY position", (path,))]
            history = _history_ids(conn, path, blob, len(ids))
            if history is None:
                continue
            for old, new in zip(ids, history):
                if old != new:
                    _rename(conn, old, new)
                    changed += 1
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return changed


def _rename(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Task ``old`` is ``new`` from now on: its row, its children's parent, its runtime state."""
    conn.execute("UPDATE tasks SET id = ? WHERE id = ?", (new, old))
    conn.execute("UPDATE tasks SET parent = ? WHERE parent = ?", (new, old))
    if conn.execute("SELECT 1 FROM state WHERE task_id = ?", (new,)).fetchone() is None:
        conn.execute("UPDATE state SET task_id = ? WHERE task_id = ?", (new, old))
    else:
        conn.execute("DELETE FROM state WHERE task_id = ?", (old,))
    conn.execute("INSERT OR REPLACE INTO aliases VALUES (?, ?)", (old, new))
    conn.execute("UPDATE aliases SET new = ? WHERE new = ?", (new, old))


def _write_head_file(repo: Repo, head: str | None) -> None:
    """The commit the store mirrors, as plain text: the hook shims read it without Python."""
    from .fsio import write_atomic

    try:
        write_atomic(repo.head_file, (head or "").encode() + b"\n")
    except OSError:
        pass


def is_fresh(repo: Repo, conn: sqlite3.Connection) -> bool:
    """Whether the store mirrors the task files of HEAD (blob for blob). When its last sync
    was of this HEAD with these patterns, it does (no `git ls-tree` of HEAD to compare)."""
    if repo.head is not None:
        synced = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('head', 'patterns')").fetchall())
        if synced.get("head") == repo.head and synced.get("patterns") == _patterns_key(repo):
            return True
    wanted = repo.head_files()
    have = {r["path"]: r["blob"] for r in conn.execute("SELECT path, blob FROM files")}
    return have == wanted


def _patterns_key(repo: Repo) -> str:
    """The task-file patterns a sync used, as the store records them (a JSON list)."""
    return json_list(repo.config.patterns)


def _apply(repo: Repo, conn: sqlite3.Connection, head: str | None, wanted: dict[str, str], report: SyncReport,
           parsed: dict[str, Document] | None = None) -> None:
    """Write HEAD's task files (``wanted``) into the store, file by file where the blob changed
    (``parsed``: documents already parsed, by blob)."""
    # The parser and the matcher are imported here: a read of a fresh store needs neither.
    from .core.identity import task_ids
    from .core.model import digest
    from .core.parse import parse_text
    from .core.text import decode
    from .tasklist import task_records

    have = {r["path"]: r["blob"] for r in conn.execute("SELECT path, blob FROM files")}
    changed = sorted(p for p, b in wanted.items() if have.get(p) != b)
    removed = sorted(p for p in have if p not in wanted)
    report.files_changed = len(changed) + len(removed)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('patterns', ?)", (_patterns_key(repo),))
    if not changed and not removed:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('head', ?)", (head,))
        return
    rearm = bulk_rows(conn) if not have else None  # the first sync writes every row of the store
    needed = sorted({wanted[p] for p in changed} | {have[p] for p in changed if p in have})
    # The merge driver's size cap holds here too: a 50 MB tasks.md took a checkout from 0.25 s
    # to 68 s and made a 405 MB database. Such a file is recorded (so the store stays fresh)
    # with no tasks, and named once in the report.
    sizes = blob_sizes(needed, repo.root)
    too_big = {sha for sha, size in sizes.items() if size > MAX_TASK_FILE_BYTES}
    blobs = read_blobs([sha for sha in needed if sha not in too_big], repo.root)
    stamp = now()
    left: set[str] = set()  # ids of the rows dropped in this sync; those not back are gone
    for path in removed:
        left |= _drop_file(conn, path)
    pending: list[tuple[str, list[tuple[str, dict[str, Any], tuple[Any, ...]]]]] = []
    sections: dict[tuple[str, ...], str] = {}  # a section path -> its JSON (files share their sections)
    for path in changed:
        if wanted[path] in too_big:
            left |= _drop_file(conn, path)
            conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (path, wanted[path], head))
            report.skipped.append(path)
            continue
        data = blobs.get(wanted[path])
        if data is None:
            continue
        new_doc = (parsed or {}).get(wanted[path])
        new_text = decode(data) if new_doc is None else None
        history = blob_ids(conn, path, wanted[path])
        carried: list[str | None] | None = None
        old_ids: list[str] = []
        old_doc = None  # the store's previous version, parsed once: its ids are carried along
        if history is None:  # not read from history yet: carry along the store's previous version
            old_ids = [r["id"] for r in conn.execute("SELECT id FROM tasks WHERE path = ? ORDER BY position", (path,))]
            old_data = blobs.get(have.get(path, ""))
            if old_ids and old_data is not None:
                old_text = decode(old_data)
                old_doc = parse_text(old_text)
                if new_text is not None:
                    new_doc, carried = _next_version(old_text, old_doc, old_ids, new_text)
        if new_doc is None:
            assert new_text is not None  # (decoded above: no document was handed)
            new_doc = parse_text(new_text)
        records = task_records(new_doc, path)
        ids = _fitting(history, len(records))
        if ids is None:
            if carried is None:
                carried = _carry(old_doc, old_ids, new_doc) if old_doc is not None else [None] * len(records)
            ids = task_ids(path, [r["key"] for r in records], carried)
        for rec, unit in zip(records, new_doc.tasks):
            rec["digest"] = digest(unit)
        # Rows that stay as they are stay (a checkbox changes one row of a file, not all of
        # them); the others are dropped first, so that an id moving between files is free.
        by_line = {rec["line"]: tid for rec, tid in zip(records, ids)}
        rows = {tid: _row(tid, rec, k, by_line, sections) for k, (rec, tid) in enumerate(zip(records, ids))}
        stored = _stored_rows(conn, path)
        kept = {tid: row for tid, row in stored.items() if rows.get(tid) == row}
        left |= _drop_rows(conn, set(stored) - set(kept))
        pending.append((path, [(tid, rec, rows[tid]) for rec, tid in zip(records, ids) if tid not in kept]))
        report.kept += len(kept)
    for path, changed_tasks in pending:
        _store_tasks(conn, changed_tasks, stamp, report)
        conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (path, wanted[path], head))
    # whatever left and did not come back is gone (its runtime state stays, and comes back with it)
    for tid in sorted(left):
        if conn.execute("SELECT 1 FROM tasks WHERE id = ?", (tid,)).fetchone() is None:
            conn.execute("UPDATE state SET gone = 1 WHERE task_id = ?", (tid,))
            report.removed += 1
    if rearm is not None:
        rearm()
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('head', ?)", (head,))
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('synced_at', ?)", (stamp,))


def _row(tid: str, rec: dict[str, Any], position: int, by_line: dict[int, str], sections: dict[tuple[str, ...], str]) -> tuple[Any, ...]:
    """A task's row in ``tasks``, column for column (``sections``: the section JSON made so far)."""
    parent = by_line.get(rec["parent_line"]) if rec["parent_line"] else None
    return (tid, rec["path"], section_json(rec["section"], sections), rec["label"], rec["title"],
            int(rec["done"]), rec["depth"], parent, position, rec["line"], rec["key"], rec.get("digest", ""))


def _stored_rows(conn: sqlite3.Connection, path: str) -> dict[str, tuple[Any, ...]]:
    cursor = conn.cursor()
    cursor.row_factory = None
    return {row[0]: tuple(row) for row in cursor.execute("SELECT * FROM tasks WHERE path = ?", (path,))}


def _drop_rows(conn: sqlite3.Connection, ids: set[str]) -> set[str]:
    """Drop the task rows of ``ids`` (the one place that deletes them); ``ids``."""
    conn.executemany("DELETE FROM tasks WHERE id = ?", [(tid,) for tid in sorted(ids)])
    return ids


def _drop_file(conn: sqlite3.Connection, path: str) -> set[str]:
    """Drop a file's rows and its record; the ids they held."""
    conn.execute("DELETE FROM files WHERE path = ?", (path,))
    return _drop_rows(conn, {r[0] for r in conn.execute("SELECT id FROM tasks WHERE path = ?", (path,))})


def _history_ids(conn: sqlite3.Connection, path: str, blob: str, count: int) -> list[str] | None:
    """The ids history gave this file version, if it was read and they fit its ``count`` tasks."""
    return _fitting(blob_ids(conn, path, blob), count)


def _fitting(ids: list[str] | None, count: int) -> list[str] | None:
    """``ids`` (history's for a file version) where they are one for each of its ``count`` tasks."""
    return ids if ids is not None and len(ids) == count else None


def _next_version(old: Text, old_doc: Document, old_ids: list[str], new: Text) -> tuple[Document | None, list[str | None] | None]:
    """The new version and the ids its tasks carry, from the previous one (``old``, parsed:
    ``old_doc``) by the history walk's quick path (a check, a relabel, tasks inserted, a
    reword: no parse of the new version, no matcher; ``events.quick_events`` gives what they
    would). (None, None) where it does not answer."""
    from .core.events import quick_events

    if old.bom != new.bom or old_doc.task_count() != len(old_ids):
        return None, None
    quick = quick_events(old_doc, old.lines, new.lines)
    if quick is None:
        return None, None
    from .core.identity import carried_ids

    new_doc, _, mapping = quick
    return new_doc, carried_ids(mapping, old_ids, new_doc.task_count())


def _match_ids(old_data: bytes | None, old_ids: list[str], new_doc: Document) -> list[str | None]:
    """The id of each task of ``new_doc``: its match in the previous version, or None."""
    if old_data is None:
        return [None] * len(new_doc.tasks)
    from .core.parse import parse_bytes

    return _carry(parse_bytes(old_data), old_ids, new_doc)


def _carry(old_doc: Document, old_ids: list[str], new_doc: Document) -> list[str | None]:
    """The id of each task of ``new_doc``: its match in ``old_doc`` (whose tasks hold
    ``old_ids``), or None."""
    from .core.identity import match_units
    from .core.model import Task

    old_task_index = {}
    k = 0
    for i, u in enumerate(old_doc.units):
        if isinstance(u, Task):
            old_task_index[i] = k
            k += 1
    if k != len(old_ids):
        return [None] * len(new_doc.tasks)  # the rows do not describe that blob: no guesses
    pairs = match_units(old_doc.units, new_doc.units)
    out: list[str | None] = []
    for i, u in enumerate(new_doc.units):
        if isinstance(u, Task):
            o = pairs.get(i)
            out.append(old_ids[old_task_index[o]] if o is not None and o in old_task_index else None)
    return out


def _store_tasks(conn: sqlite3.Connection, tasks: list[tuple[str, dict[str, Any], tuple[Any, ...]]], stamp: str,
                 report: SyncReport) -> None:
    """Insert one file's new or changed task rows (id, record, row) and link their runtime
    state, a statement of each kind for all of them: a task without state gets it from its
    box; one with state keeps it, except that the box is the file's (checking makes the status
    done, unchecking restores the status before done, or todo)."""
    conn.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [row for _, _, row in tasks])
    states: dict[str, tuple[Any, ...]] = {}
    ids = [tid for tid, _, _ in tasks]
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        states.update((r[0], tuple(r)) for r in conn.execute(
            f"SELECT task_id, status, status_before_done FROM state WHERE task_id IN ({marks})", chunk))
    new_states, checked, unchecked, relinked = [], [], [], []
    for tid, rec, _ in tasks:
        state = states.get(tid)
        if state is None:
            new_states.append((tid, "done" if rec["done"] else "todo", stamp, None if rec["done"] else "todo",
                               rec["path"], rec["key"], rec["title"]))
            report.added += 1
            continue
        report.kept += 1
        if rec["done"] and state[1] != "done":
            checked.append((state[1], stamp, tid))
        elif not rec["done"] and state[1] == "done":
            unchecked.append((state[2] or "todo", stamp, tid))
        relinked.append((rec["path"], rec["key"], rec["title"], tid))
    conn.executemany("INSERT INTO state (task_id, status, updated_at, status_before_done, gone, path, key, title) "
                     "VALUES (?, ?, ?, ?, 0, ?, ?, ?)", new_states)
    conn.executemany("UPDATE state SET status = 'done', status_before_done = ?, updated_at = ? WHERE task_id = ?", checked)
    conn.executemany("UPDATE state SET status = ?, updated_at = ? WHERE task_id = ?", unchecked)
    conn.executemany("UPDATE state SET gone = 0, path = ?, key = ?, title = ? WHERE task_id = ?", relinked)
