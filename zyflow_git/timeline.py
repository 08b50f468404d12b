"""What the history answers: the timeline (``log``), ``blame``, and the audit a command opens.

The walk and its cache are ``audit.Audit``; this module filters and shapes what it recorded,
with the runtime events of ``refs/zyflow/runtime`` beside the file events.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from .audit import Audit, Progress
from .errors import BadInput
from .reconcile import Repo


def open_audit(progress: Progress | None = None) -> tuple[Audit, dict[str, str], list[dict[str, Any]]]:
    """The audit of this worktree, backfilled, with the id translation to the store."""
    from .taskview import fresh_connection

    repo = Repo()
    conn = fresh_connection(repo)
    from .store import task_rows

    rows = task_rows(conn)
    audit = Audit(repo, conn)
    audit.backfill(progress=progress)
    return audit, audit.translation(rows), rows


class Filter:
    """Which log entries to keep: a task id (prefix) or a path, a time window, an author."""

    def __init__(self, target: str | None = None, since: datetime | None = None, until: datetime | None = None,
                 author: str | None = None, by_path: bool = False) -> None:
        self.target, self.since, self.until, self.author, self.by_path = target, since, until, author, by_path

    def keeps(self, tid: str, path: str, date: str, who: str) -> bool:
        t = self.target
        if t is not None:
            if self.by_path and not (path == t or path.startswith(t.rstrip("/") + "/")):
                return False
            if not self.by_path and not tid.startswith(t):
                return False
        when = _when(date)
        if (self.since is not None and when < self.since) or (self.until is not None and when > self.until):
            return False
        return not (self.author and self.author.lower() not in who.lower())


def log_entries(audit: Audit, translate: dict[str, str], target: str | None = None,
                since: datetime | None = None, author: str | None = None,
                until: datetime | None = None) -> list[dict[str, Any]]:
    """The timeline, newest first, filtered by task id (or prefix), path, time and author: the
    file events read from history, and the runtime events of refs/zyflow/runtime beside them."""
    from .runtime import timeline

    if target is not None and "#" in target:  # PATH#LABEL names a task of the working tree
        from .selectors import View, find

        target = find(View(audit.repo, audit.conn), target).id
    paths = {r[0] for r in audit.conn.execute("SELECT DISTINCT path FROM events")}
    by_path = target is not None and (target in paths or any(p.startswith(target.rstrip("/") + "/") for p in paths))
    if target is not None and not by_path:
        from .store import like_prefix, resolve_alias

        if not audit.conn.execute("SELECT 1 FROM state WHERE task_id LIKE ? ESCAPE '\\' LIMIT 1", (like_prefix(target),)).fetchone():
            alias = resolve_alias(audit.conn, target)  # an old id still finds its task
            if alias is None:
                raise BadInput(f"{target!r}: no task id, id prefix or task file by that name")
            target = alias
    keep = Filter(target, since, until, author, by_path)
    entries = _file_entries(audit, translate, keep)
    runtime = [e for e in timeline(audit.repo.top, audit.conn)
               if keep.keeps(e["id"], e["path"], e["date"], f"{e['author']} <{e['email']}>")]
    if not runtime:
        return entries
    merged = entries + runtime[::-1]
    # Newest first; in the same second a runtime event (written by a command, after the commit
    # it could see) comes first; otherwise each source keeps its own order (the sort is stable).
    merged.sort(key=lambda e: (_when(e["date"]), "value" in e), reverse=True)
    return merged


def _when(date: str) -> datetime:
    moment = datetime.fromisoformat(date.replace("Z", "+00:00")) if date else datetime.min
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _file_entries(audit: Audit, translate: dict[str, str], keep: Filter) -> list[dict[str, Any]]:
    out = []
    for r in audit.events():
        tid = translate.get(r["task_id"], r["task_id"])
        if not keep.keeps(tid, r["path"], r["date"], f"{r['author']} <{r['email']}>"):
            continue
        item = {"event": r["event"], "id": tid, "path": r["path"], "title": r["title"], "label": r["label"],
                "commit": r["commit_id"], "author": r["author"], "email": r["email"], "date": r["date"],
                "subject": r["subject"]}
        if r["event"] == "edited":
            item["old_title"] = r["old_title"]
        if r["event"] == "moved":
            item["old_section"] = json.loads(r["old_section"]) if r["old_section"] else None
            item["section"] = json.loads(r["section"]) if r["section"] else None
        if r["event"] == "relabelled":
            item["old_label"] = r["old_label"]
        out.append(item)
    return out


def replay(audit: Audit, translate: dict[str, str], rev: str) -> list[dict[str, Any]]:
    """The tasks at commit or tag ``rev``, named by the store's ids."""
    rows = audit.tasks_at(rev)
    for r in rows:
        r["id"] = translate.get(r["id"], r["id"])
        if r["parent"]:
            r["parent"] = translate.get(r["parent"], r["parent"])
    return rows


def blame(audit: Audit, translate: dict[str, str], rows: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    """Per task of ``path`` at HEAD: who added it, and who last changed its checkbox."""
    mine = [r for r in rows if r["path"] == path]
    if not mine:
        raise BadInput(f"{path}: no tasks at HEAD in this file (is it a task file?)")
    reverse = {v: k for k, v in translate.items()}
    history: dict[str, list[dict[str, Any]]] = {}
    for e in audit.events():  # newest first
        history.setdefault(e["task_id"], []).append(e)
    out = []
    for r in mine:
        evs = history.get(reverse.get(r["id"], r["id"]), [])
        added = next((e for e in reversed(evs) if e["event"] == "added"), None)
        state = next((e for e in evs if e["event"] in ("checked", "unchecked")), None)
        pick = lambda e: None if e is None else {"commit": e["commit_id"], "author": e["author"], "date": e["date"], "event": e["event"]}  # noqa: E731
        out.append({"id": r["id"], "label": r["label"], "title": r["title"], "done": bool(r["done"]), "line": r["line"],
                    "added": pick(added), "state": pick(state)})
    return out
