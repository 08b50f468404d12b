"""Runtime state kept in git: the log under ``refs/zyflow/runtime``, and its projection.

Every runtime change (status, assignee, note) is a commit on ``refs/zyflow/runtime`` in the
common git dir, so every worktree sees it, deleting or losing a SQLite file loses nothing, and
the ref can be pushed and fetched like any other. A commit's tree is empty; its message is a
one-line summary, a blank line, then one JSON object a line (docs/state.md has the format).
The ref moves only by compare-and-swap (``git update-ref REF NEW OLD``): two writers never
lose an update; the one that lost re-reads and tries again. The SQLite ``state`` table is the
projection: each command applies the commits it has not seen (meta ``runtime_tip``). Only
the git CLI is used: no pygit2 on this path.
"""

from __future__ import annotations

import sqlite3
TYPE_CHECKING = False  # typing costs ~4 ms to import, on every command's path
if TYPE_CHECKING:
    from typing import Any

from .errors import EXIT_STALE, ZyflowError
from .gitcli import commit_id, git
from .store import meta, now, rollback

REF = "refs/zyflow/runtime"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git knows it without storing it
ZERO = "0" * 40
RETRIES = 20


class Stale(ZyflowError):
    """The log moved under a writer more often than it would retry (exit 4)."""

    exit_code = EXIT_STALE
    code = "version_conflict"


def tip(top: object) -> str | None:
    """The newest commit of the runtime log, or None when there is none yet."""
    return commit_id(REF, top)  # type: ignore[arg-type]


def make_commit(top: object, events: list[dict[str, Any]], parents: list[str], summary: str,
                stamp: str | None = None) -> str:
    """A commit of ``events`` (none for a merge of two logs) on ``parents``, on no ref yet."""
    ident = git("var", "GIT_AUTHOR_IDENT", cwd=top, check=False).stdout.decode("utf-8", "replace").strip()  # type: ignore[arg-type]
    who = ident.rsplit(" ", 2)[0] if ident.count(" ") >= 2 else ident
    stamp = stamp or now()
    import json

    lines = "".join(json.dumps({"by": who, "at": stamp, **e}, ensure_ascii=False, sort_keys=True) + "\n" for e in events)
    message = f"zyflow: {summary}\n\n{lines}".encode("utf-8", "surrogateescape")
    args = ["commit-tree", EMPTY_TREE]
    for parent in parents:
        args += ["-p", parent]
    made = git(*args, cwd=top, input=message, check=False)  # type: ignore[arg-type]
    if made.returncode != 0:
        raise ZyflowError(f"cannot write {REF}: {made.stderr.decode('utf-8', 'replace').strip()}")
    return made.stdout.decode().strip()


def move(top: object, new: str, old: str | None) -> bool:
    """Compare-and-swap the log's ref from ``old`` (None: absent) to ``new``."""
    moved = git("update-ref", "-m", "zyflow-git runtime", REF, new, old or ZERO, cwd=top, check=False)  # type: ignore[arg-type]
    return moved.returncode == 0


def append(top: object, events: list[dict[str, Any]], parent: str | None, summary: str,
           stamp: str | None = None) -> str | None:
    """Add one commit holding ``events`` on top of ``parent``; its id, or None when the ref
    no longer points at ``parent`` (someone else wrote: re-read and try again)."""
    commit = make_commit(top, events, [parent] if parent else [], summary, stamp)
    return commit if move(top, commit, parent) else None


# -- the clock: hybrid logical time, so that the latest write wins across machines -----------------


def hlc_of(event: dict[str, Any]) -> tuple[int, int]:
    """An event's hybrid logical time (milliseconds, counter); events written before the
    clock existed count by their ``at`` time."""
    h = event.get("hlc")
    if isinstance(h, list) and len(h) == 2 and all(isinstance(x, int) for x in h):
        return h[0], h[1]
    try:
        from datetime import datetime

        return int(datetime.fromisoformat(str(event.get("at", "")).replace("Z", "+00:00")).timestamp() * 1000), 0
    except ValueError:
        return 0, 0


def order_key(event: dict[str, Any]) -> tuple[int, int, str, int]:
    """The one order every machine replays events in: clock, then commit id, then place."""
    wall, counter = hlc_of(event)
    return wall, counter, str(event.get("commit", "")), int(event.get("index", 0))


def next_hlc(conn: sqlite3.Connection) -> tuple[int, int]:
    """A time after every event this store has seen and not before this machine's clock: a
    machine whose clock is behind still writes after what it has seen (skew survives)."""
    from .store import clock

    wall = int(clock() * 1000)
    seen = meta(conn, "runtime_hlc")
    last = tuple(int(x) for x in seen.split(".")) if seen else (0, 0)
    return (wall, 0) if wall > last[0] else (last[0], last[1] + 1)


def event_for(conn: sqlite3.Connection, task_id: str, changes: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The event that applies ``changes`` to ``task_id`` now (with what it replaces), and its stamp."""
    row = conn.execute("SELECT * FROM state WHERE task_id = ?", (task_id,)).fetchone()
    was = {k: (row[k] if row is not None else None) for k in changes}
    stamp = now()
    return {"task": task_id, "set": changes, "was": was, "at": stamp, "hlc": list(next_hlc(conn))}, stamp


def read(top: object, since: str | None, until: str) -> list[dict[str, Any]] | None:
    """The events of the commits after ``since`` up to ``until``, oldest first; None when
    ``since`` is not an ancestor of ``until`` (the log was rewritten: replay it all)."""
    if since is not None:
        if git("merge-base", "--is-ancestor", since, until, cwd=top, check=False).returncode != 0:  # type: ignore[arg-type]
            return None
    span = f"{since}..{until}" if since else until
    out = git("log", "-z", "--reverse", "--format=%H%n%B", span, "--", cwd=top, check=False).stdout  # type: ignore[arg-type]
    import json

    events: list[dict[str, Any]] = []
    for entry in out.decode("utf-8", "surrogateescape").split("\0"):
        lines = entry.splitlines()
        commit, subject = (lines[0], lines[1]) if len(lines) > 1 else ("", "")
        for index, line in enumerate(lines[1:]):
            if line.startswith("{"):
                try:
                    event = json.loads(line)
                except ValueError:
                    continue  # not ours: a log is data, a bad line is skipped
                if isinstance(event, dict) and isinstance(event.get("task"), str) and isinstance(event.get("set"), dict):
                    events.append({**event, "commit": commit, "index": index, "subject": subject.removeprefix("zyflow: ")})
    return events


def timeline(top: object, conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The runtime events as log entries (the shape of ``zyflow-git log --json``), oldest first:
    event ``status``, ``assigned`` or ``noted``, with ``value`` and ``old_value``; up to the
    tip the projection mirrors (``catch_up`` ran when the command opened the store)."""
    newest = meta(conn, "runtime_tip")
    if newest is None:
        return []
    where = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT task_id, path, title FROM state")}
    out = []
    for e in read(top, None, newest) or []:
        path, title = where.get(e["task"], ("", ""))
        who = str(e.get("by", ""))
        name, _, email = who.partition(" <")
        for field, value in e["set"].items():
            out.append({"event": {"status": "status", "assignee": "assigned", "note": "noted"}.get(field, field),
                        "id": e["task"], "path": path, "title": title, "label": None, "commit": e["commit"],
                        "author": name, "email": email.rstrip(">"), "date": e.get("at", ""),
                        "subject": e["subject"], "value": value, "old_value": (e.get("was") or {}).get(field)})
    return out


def apply(conn: sqlite3.Connection, event: dict[str, Any]) -> None:
    """Project one event into the ``state`` table (inside the caller's transaction). The
    checkbox stays the file's: a status set on a checked task waits in ``status_before_done``."""
    tid = event["task"]
    row = conn.execute("SELECT status FROM state WHERE task_id = ?", (tid,)).fetchone()
    if row is None:  # a task this worktree has not seen (another branch): its state waits for it
        conn.execute("INSERT INTO state (task_id, status, updated_at, status_before_done, gone, path, key, title) "
                     "VALUES (?, 'todo', ?, 'todo', 1, '', '', '')", (tid, event.get("at") or now()))
        row = ("todo",)
    changes: dict[str, object] = {"updated_at": event.get("at") or now()}
    for field, value in event["set"].items():
        if field == "status" and isinstance(value, str) and value != "done":
            changes["status_before_done"] = value
            if row[0] != "done":
                changes["status"] = value
        elif field in ("assignee", "note"):
            changes[field] = value or None
    assignments = ", ".join(f"{k} = ?" for k in changes)
    conn.execute(f"UPDATE state SET {assignments} WHERE task_id = ?", (*changes.values(), tid))


def catch_up(top: object, conn: sqlite3.Connection) -> str | None:
    """Apply the log's commits the projection has not seen; the tip it now mirrors. New events
    that all come after what was applied (local writes) are applied in order; otherwise (a log
    joined with another machine's, a rewritten log) everything is replayed in clock order, so
    every machine with the same events has the same state."""
    newest = tip(top)
    seen = meta(conn, "runtime_tip")
    if newest == seen:
        return newest
    if newest is None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            _reset(conn)
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
        return None
    events = read(top, seen, newest)
    applied = meta(conn, "runtime_hlc")
    last = tuple(int(x) for x in applied.split(".")) if applied else (0, 0)
    conn.execute("BEGIN IMMEDIATE")
    try:
        if events is None or any(hlc_of(e) <= last for e in events):
            _reset(conn)
            events = read(top, None, newest) or []
        events.sort(key=order_key)
        for event in events:
            apply(conn, event)
        if events:
            top_hlc = max(max(hlc_of(e) for e in events), last)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('runtime_hlc', ?)", (f"{top_hlc[0]}.{top_hlc[1]}",))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('runtime_tip', ?)", (newest,))
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return newest


def _reset(conn: sqlite3.Connection) -> None:
    """Runtime fields back to what the files alone say (before a full replay)."""
    conn.execute("UPDATE state SET status = CASE WHEN status = 'done' THEN 'done' ELSE 'todo' END, "
                 "status_before_done = 'todo', assignee = NULL, note = NULL")
    conn.execute("DELETE FROM meta WHERE key IN ('runtime_tip', 'runtime_hlc')")


def record(top: object, conn: sqlite3.Connection, task_id: str, changes: dict[str, Any],
           summary: str) -> dict[str, Any]:
    """Append one change of ``task_id`` to the log (retrying when another writer got there
    first), project it, and return the task's state row."""
    for _ in range(RETRIES):
        parent = catch_up(top, conn)
        event, stamp = event_for(conn, task_id, changes)
        commit = append(top, [event], parent, summary, stamp)
        if commit is None:
            continue  # the ref moved: catch up and write on top of the new tip
        conn.execute("BEGIN IMMEDIATE")
        try:
            apply(conn, event)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('runtime_tip', ?)", (commit,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('runtime_hlc', ?)", (f"{event['hlc'][0]}.{event['hlc'][1]}",))
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
        return dict(conn.execute("SELECT * FROM state WHERE task_id = ?", (task_id,)).fetchone())
    raise Stale(f"{REF} kept moving under {RETRIES} attempts to write; try again")


def import_store(top: object, conn: sqlite3.Connection) -> int:
    """Runtime state a store held before the log existed (schema 2): one commit holding it all,
    so it is shared and kept from now on. How many tasks it held."""
    if meta(conn, "runtime_imported"):
        return 0
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('runtime_imported', '1')")  # asked once per store
    if tip(top) is not None:
        return 0  # the repository has a log already (another worktree wrote it): it is the truth
    rows = conn.execute("SELECT task_id, status, status_before_done, assignee, note FROM state "
                        "WHERE status NOT IN ('todo', 'done') OR status_before_done NOT IN ('todo') "
                        "OR assignee IS NOT NULL OR note IS NOT NULL ORDER BY task_id").fetchall()
    events = []
    for r in rows:
        status = r["status"] if r["status"] != "done" else (r["status_before_done"] or "todo")
        fields = {"status": status, "assignee": r["assignee"], "note": r["note"]}
        events.append({"task": r["task_id"], "set": {k: v for k, v in fields.items() if v is not None}, "was": {}})
    if events and append(top, events, None, f"import the runtime state of {len(events)} tasks") is None:
        return 0  # another process imported first; its log wins
    return len(events)
