"""What ``tasks`` shows: the store's rows at HEAD, or the working tree's edits beside them."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from typing import Any

from .core.identity import task_ids
from .core.parse import parse_bytes
from .errors import BadInput
from .fsio import read_regular
from .reconcile import MAX_TASK_FILE_BYTES, Repo, _match_ids, is_fresh, settle_ids, sync
from .store import open_store, task_rows
from .tasklist import task_records

FIELDS = ("id", "path", "label", "title", "done", "status", "section", "line", "depth", "parent",
          "assignee", "note", "updated_at")


def fresh_connection(repo: Repo | None = None) -> sqlite3.Connection:
    """The store, synced first when it does not mirror HEAD (hooks may be skipped or missing)."""
    repo = repo or Repo()
    conn = open_store(repo.db_path)
    if not is_fresh(repo, conn):
        sync(repo, conn)
    settle_ids(repo, conn)
    from . import runtime

    runtime.import_store(repo.top, conn)
    runtime.catch_up(repo.top, conn)
    return conn


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in FIELDS}
    out["done"] = bool(out["done"])
    if isinstance(out["section"], str):
        out["section"] = json.loads(out["section"])
    return out


def head_tasks(repo: Repo | None = None) -> list[dict[str, Any]]:
    conn = fresh_connection(repo)
    try:
        return [_shape(r) for r in task_rows(conn)]
    finally:
        conn.close()


def worktree_tasks(repo: Repo | None = None) -> list[dict[str, Any]]:
    """The task files as they are on disk, each task with its HEAD id where it has one and
    ``uncommitted``: None, "added", "changed" or "removed"."""
    from .gitcli import git, read_blobs

    repo = repo or Repo()
    conn = fresh_connection(repo)
    try:
        rows = [_shape(r) for r in task_rows(conn)]
        files = {r["path"]: r["blob"] for r in conn.execute("SELECT path, blob FROM files")}
    finally:
        conn.close()
    listed = git("ls-files", "-z", "-c", "-o", "--exclude-standard", cwd=repo.top).stdout.split(b"\0")
    paths = sorted({p.decode("utf-8", "surrogateescape") for p in listed if p} | set(files))
    paths = [p for p in paths if repo.is_task_file(p)]
    blobs = read_blobs(sorted(set(files.values())), repo.top)
    by_path: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_path.setdefault(r["path"], []).append(r)
    out: list[dict[str, Any]] = []
    missing = [p for p in paths if not os.path.lexists(repo.top / p)]
    sparse = _skip_worktree(repo, missing) if missing else set()
    for path in paths:
        head_rows = by_path.get(path, [])
        if path in sparse:  # outside a sparse checkout's cone: not removed, only not here
            out += [dict(r, uncommitted=None, provisional=False) for r in head_rows]
            continue
        if path in missing:
            out += [dict(r, uncommitted="removed", provisional=False) for r in head_rows]
            continue
        try:
            data = read_regular(repo.top / path, MAX_TASK_FILE_BYTES)
        except BadInput as err:  # a link, a FIFO, a huge file: not read, said once
            print(f"zyflow-git: warning: {err}; shown as committed", file=sys.stderr)
            out += [dict(r, uncommitted=None, provisional=False) for r in head_rows]
            continue
        head_data = blobs.get(files.get(path, ""))
        if head_rows and data == head_data:  # untouched since HEAD: the store's rows say it all
            out += [dict(r, uncommitted=None, provisional=False) for r in head_rows]
            continue
        doc = parse_bytes(data)
        records = task_records(doc, path)
        ids = _match_ids(head_data, [r["id"] for r in head_rows], doc) if head_rows else [None] * len(records)
        # A task only the working tree has gets the id a commit of this file would give it
        # (identity.task_ids from HEAD's version): provisional, final once committed as is.
        final = task_ids(path, [r["key"] for r in records], ids)
        by_id = {r["id"]: r for r in head_rows}
        seen = set()
        for k, rec in enumerate(records):
            tid = ids[k] if k < len(ids) else None
            head = by_id.get(tid) if tid else None
            item: dict[str, Any] = {f: None for f in FIELDS}
            item.update({"path": path, "label": rec["label"], "title": rec["title"], "done": rec["done"],
                         "section": rec["section"], "line": rec["line"], "depth": rec["depth"], "provisional": False})
            if head is None:
                item.update({"uncommitted": "added", "id": final[k], "provisional": True})
            else:
                seen.add(tid)
                for f in ("id", "status", "parent", "assignee", "note", "updated_at"):
                    item[f] = head[f]
                same = (head["title"], head["label"], head["done"]) == (rec["title"], rec["label"], rec["done"])
                item["uncommitted"] = None if same else "changed"
            out.append(item)
        out += [dict(r, uncommitted="removed", provisional=False) for r in head_rows if r["id"] not in seen]
    return out


def _skip_worktree(repo: Repo, paths: list[str]) -> set[str]:
    """Which of ``paths`` git keeps out of the work tree on purpose (sparse checkout)."""
    from .gitcli import git

    listed = git("ls-files", "-t", "-z", "--", *[f":(literal){p}" for p in paths], cwd=repo.top, check=False).stdout
    return {e[2:].decode("utf-8", "surrogateescape") for e in listed.split(b"\0") if e.startswith(b"S ")}
