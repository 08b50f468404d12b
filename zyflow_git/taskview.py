"""What ``tasks`` shows: the store's rows at HEAD, or the working tree's edits beside them."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager

from .reconcile import Repo, is_fresh, settle_ids, sync
from .store import answer, keep_answer, open_store, rollback, task_rows
from .tasklist import FIELDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator


def fresh_connection(repo: Repo | None = None) -> sqlite3.Connection:
    """The store, synced first when it does not mirror HEAD (hooks may be skipped or missing)."""
    repo = repo or Repo()
    conn = open_store(repo.db_path)
    if not is_fresh(repo, conn):
        sync(repo, conn)
    settle_ids(repo, conn)
    from . import runtime
    from .remotes import absorb_fetched

    runtime.import_store(repo.root, conn)
    absorb_fetched(repo)  # logs a plain `git fetch` brought (install --share)
    runtime.catch_up(repo.root, conn)
    return conn


@contextmanager
def session(cwd: str | os.PathLike[str] | None = None) -> Iterator[tuple[Repo, sqlite3.Connection]]:
    """The repository at ``cwd`` and its store, fresh, for one command, tool call or request."""
    repo = Repo(cwd)
    conn = fresh_connection(repo)
    try:
        yield repo, conn
    finally:
        conn.close()


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in FIELDS}
    out["done"] = bool(out["done"])
    if isinstance(out["section"], str):
        import json

        out["section"] = json.loads(out["section"])
    return out


# Where each field of a task object comes from (``version`` is computed, not stored).
_COLUMNS = {"id": "t.id", "path": "t.path", "label": "t.label", "title": "t.title", "done": "t.done",
            "status": "s.status", "assignee": "s.assignee", "version": "NULL", "note": "s.note",
            "section": "t.section", "line": "t.line", "depth": "t.depth", "parent": "t.parent",
            "updated_at": "s.updated_at"}


def _select(fields: tuple[str, ...]) -> str:
    """One query for the tasks at HEAD with their runtime state: ``fields``, in file order."""
    return (f"SELECT {', '.join(_COLUMNS[f] for f in fields)} FROM tasks t LEFT JOIN state s ON s.task_id = t.id "
            "ORDER BY t.path, t.position")


_HEAD_SQL = _select(FIELDS)
# What the table of `tasks` shows (and filters on): the query reads these columns only.
_TABLE_FIELDS = ("id", "path", "label", "title", "done", "status", "assignee", "line")
_TABLE_SQL = _select(_TABLE_FIELDS)


def head_tasks(repo: Repo | None = None, paths: list[str] | None = None, *, full: bool = True) -> list[dict[str, Any]]:
    """The tasks at HEAD (of ``paths``: PATH arguments); ``version`` is the working tree's (what
    a write expects), None for a task the working tree no longer has. Without ``full`` (the
    table ``tasks`` prints) each task has only the table's fields (``_TABLE_FIELDS``)."""
    repo = repo or Repo()
    conn = fresh_connection(repo)
    try:
        wanted: set[str] | None = None
        if paths:
            from .selectors import View, select_paths

            wanted = set(select_paths(View(repo, conn), paths))
        versions: dict[str, str] | None = None
        if full:
            from .worktree import versions as read_versions

            committed = sorted(p for (p,) in conn.execute("SELECT path FROM files") if wanted is None or p in wanted)
            versions = read_versions(repo, conn, committed)
        return _head_rows(conn, wanted, versions)
    finally:
        conn.close()


def _head_rows(conn: sqlite3.Connection, wanted: set[str] | None, versions: dict[str, str] | None) -> list[dict[str, Any]]:
    """The rows of ``head_tasks``: all fields with ``versions`` given, else the table's."""
    out = []
    if versions is not None:
        from json import loads
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: sqlite3.Row costs more than the query itself here
    fields = FIELDS if versions is not None else _TABLE_FIELDS
    for row in cursor.execute(_HEAD_SQL if versions is not None else _TABLE_SQL):
        item = dict(zip(fields, row))
        if wanted is not None and item["path"] not in wanted:
            continue
        item["done"] = bool(item["done"])
        if versions is not None:
            item["version"] = versions.get(item["id"])
            item["section"] = loads(item["section"])
        out.append(item)
    return out


def head_table(repo: Repo, render: Callable[[list[dict[str, Any]]], str], variant: str) -> str:
    """What ``render`` makes of all the tasks at HEAD (``head_tasks(full=False)``): the answer
    the store kept for ``variant`` when no task or state row changed since it was made, else
    made now and kept (see store.keep_answer: never one older than the rows it came from)."""
    conn = fresh_connection(repo)
    try:
        kept = answer(conn, "tasks", variant)
        if kept is not None:
            return kept
        conn.execute("BEGIN")  # the rows and the answer kept: one snapshot
        body = render(_head_rows(conn, None, None))
        keep_answer(conn, "tasks", variant, body)
        return body
    finally:
        rollback(conn)
        conn.close()


def worktree_tasks(repo: Repo | None = None, paths: list[str] | None = None) -> list[dict[str, Any]]:
    """The task files as they are on disk (of ``paths``), each task with its HEAD id where it
    has one and ``uncommitted``: None, "added", "changed" or "removed"."""
    from .selectors import View, select_paths

    repo = repo or Repo()
    conn = fresh_connection(repo)
    try:
        view = View(repo, conn)
        files = view.files(select_paths(view, paths) if paths else None)
        out: list[dict[str, Any]] = []
        shaped = {r["id"]: r for r in task_rows(conn)} if any(wf.removed for wf in files) else {}
        for wf in files:
            out += [dict(t.as_dict(), section=t.section) for t in wf.tasks]
            out += [dict(_shape(shaped[r["id"]]), uncommitted="removed", provisional=False) for r in wf.removed]
        return out
    finally:
        conn.close()
