"""The SQLite state store: the tasks at HEAD (derived from git) and runtime state (the store's own).

One database per worktree at ``git rev-parse --git-path zyflow/state.db``. The hook path speaks
``sqlite3`` directly: sqlite-utils costs ~145 ms to import, more than a hook's whole budget
(the tests and users read the same file with sqlite-utils). WAL, a busy timeout, the schema
version in ``PRAGMA user_version`` with migrations, and a new database built in a temp file
and moved into place, so a half-made schema is never visible. See docs/state.md.
"""

from __future__ import annotations

import os
import time

from . import sqlite as sqlite3
from .errors import ZyflowError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable

SCHEMA_VERSION = 5
STATUSES = ("todo", "in_progress", "blocked", "review", "done")
BUSY_TIMEOUT_MS = 5000

_SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    blob TEXT NOT NULL,
    commit_id TEXT
);
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    section TEXT NOT NULL,
    label TEXT NOT NULL,
    title TEXT NOT NULL,
    done INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    parent TEXT,
    position INTEGER NOT NULL,
    line INTEGER NOT NULL,
    key TEXT NOT NULL
);
CREATE INDEX tasks_by_path ON tasks (path, position);
CREATE TABLE state (
    task_id TEXT PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'todo'
        CHECK (status IN ('todo', 'in_progress', 'blocked', 'review', 'done')),
    assignee TEXT,
    note TEXT,
    updated_at TEXT NOT NULL,
    status_before_done TEXT,
    gone INTEGER NOT NULL DEFAULT 0,
    path TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX state_by_key ON state (path, key);
"""

# Version 2: the event cache of the audit (git history is the event log; this only saves time).
_SCHEMA_V2 = """
CREATE TABLE audit_commits (
    commit_id TEXT PRIMARY KEY,
    ord INTEGER NOT NULL
);
CREATE TABLE events (
    commit_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    task_id TEXT NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    label TEXT,
    done INTEGER,
    old_title TEXT,
    old_label TEXT,
    section TEXT,
    old_section TEXT,
    author TEXT NOT NULL,
    email TEXT NOT NULL,
    date TEXT NOT NULL,
    subject TEXT NOT NULL,
    PRIMARY KEY (commit_id, seq)
);
CREATE INDEX events_by_task ON events (task_id);
CREATE TABLE blob_tasks (
    path TEXT NOT NULL,
    blob TEXT NOT NULL,
    ids TEXT NOT NULL,
    PRIMARY KEY (path, blob)
);
"""

# Version 3: ids come from history (identity.task_ids), the same in every worktree and clone.
# The event cache was read with commit-salted ids: it is read again. Ids a store used before
# that stay usable as aliases.
_SCHEMA_V3 = """
CREATE TABLE aliases (old TEXT PRIMARY KEY, new TEXT NOT NULL);
DELETE FROM events;
DELETE FROM audit_commits;
DELETE FROM blob_tasks;
DELETE FROM meta WHERE key IN ('audit_tips', 'audit_shallow')
"""

# Version 4: each task's text digest (core/edits.digest), so a task's version is known without
# parsing its file while the file is as committed. Rows of older stores have '' until their
# file changes: the versions of such a file are read from the file itself.
_SCHEMA_V4 = """
ALTER TABLE tasks ADD COLUMN digest TEXT NOT NULL DEFAULT ''
"""

# Version 5: answers a read command made from the tasks and their runtime state (the table of
# `tasks`), kept until any task or state row changes: the triggers drop them in the same
# transaction as the change, whoever makes it (sync, a verb, runtime import, settling ids).
_ANSWER_TRIGGERS = [(f"answers_after_{table}_{change}",
                     f"CREATE TRIGGER answers_after_{table}_{change} AFTER {change.upper()} ON {table} "
                     "BEGIN DELETE FROM answers; END")
                    for table in ("tasks", "state") for change in ("insert", "update", "delete")]
_SCHEMA_V5 = """
CREATE TABLE answers (name TEXT PRIMARY KEY, variant TEXT NOT NULL, body TEXT NOT NULL);
""" + "".join(f"\n{sql};\n" for _, sql in _ANSWER_TRIGGERS)

# version -> SQL taking the schema from version-1 to version
MIGRATIONS: dict[int, str] = {1: _SCHEMA_V1, 2: _SCHEMA_V2, 3: _SCHEMA_V3, 4: _SCHEMA_V4, 5: _SCHEMA_V5}


def bulk_rows(conn: sqlite3.Connection) -> Callable[[], None]:
    """Inside a write transaction that writes a whole store's rows (the first sync: thousands
    of them), drop the ``answers`` triggers, which would run a statement for every row; call
    what this returns before the commit: it empties ``answers`` once and puts the triggers
    back. Both happen in the same transaction (SQLite's DDL is transactional), so no other
    connection ever sees the store without them, and a rollback restores them."""
    for name, _ in _ANSWER_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")

    def done() -> None:
        conn.execute("DELETE FROM answers")
        for _, sql in _ANSWER_TRIGGERS:
            conn.execute(sql)

    return done


def statements(script: str) -> list[str]:
    """The SQL statements of ``script``, split at the semicolons that end one (not those
    inside a trigger's body)."""
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip())
            pending = ""
    if pending.strip(" \n;"):
        out.append(pending.strip())
    return out


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A value of the ``meta`` table, or None."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def json_list(items: list[str] | tuple[str, ...], ensure_ascii: bool = True) -> str:
    """``json.dumps(list(items), ensure_ascii=ensure_ascii)`` as the store keeps lists of strings
    (task ids per file version, the task-file patterns of a sync, a task's section), written
    directly when no item needs escaping: no quote, backslash or control character (and, with
    ``ensure_ascii``, nothing but printable ASCII), as ids, patterns and most headings are. Hot
    paths need not import json (which imports ``re``): a read of a fresh store, a hook, one id
    list per commit of a history walk."""
    if not items:
        return "[]"
    joined = "".join(items)
    if '"' not in joined and "\\" not in joined and (
            joined.isascii() and joined.isprintable() if ensure_ascii else not joined or min(joined) >= " "):
        return '["' + '", "'.join(items) + '"]'
    import json

    return json.dumps(list(items), ensure_ascii=ensure_ascii)


def section_json(section: tuple[str, ...] | list[str], made: dict[tuple[str, ...], str]) -> str:
    """A section path (its headings) as the store keeps it, in ``tasks`` and ``events``: a JSON
    list of printable text (``tasklist.display``), made once per path and kept in ``made`` (a
    file's tasks, and a walk's events, share a few paths)."""
    key = tuple(section)
    text = made.get(key)
    if text is None:
        from .tasklist import display

        text = made[key] = json_list([display(s) for s in key], ensure_ascii=False)
    return text


def read_json_list(text: str) -> list[str]:
    """``json.loads`` of a list of strings the store wrote; read directly when ``json_list``'s
    short form wrote it (no backslash: no escape anywhere)."""
    if text == "[]":
        return []
    if len(text) >= 4 and text.startswith('["') and text.endswith('"]') and "\\" not in text:
        items = text[2:-2].split('", "')
        if not any('"' in item for item in items):  # (else another spacing wrote it)
            return items
    import json

    return json.loads(text)  # type: ignore[no-any-return]


def blob_ids(conn: sqlite3.Connection, path: str, blob: str | None) -> list[str] | None:
    """The task ids history gave a file version (the audit's record), if it was read."""
    if blob is None:
        return None
    row = conn.execute("SELECT ids FROM blob_tasks WHERE path = ? AND blob = ?", (path, blob)).fetchone()
    return read_json_list(row[0]) if row else None


def like_prefix(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') for the values that start with ``text``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def resolve_alias(conn: sqlite3.Connection, task_id: str) -> str | None:
    """The id an old id (or a unique prefix of one) became, if it is an alias."""
    row = conn.execute("SELECT new FROM aliases WHERE old = ?", (task_id,)).fetchone()
    if row is None:
        rows = conn.execute("SELECT new FROM aliases WHERE old LIKE ? ESCAPE '\\' LIMIT 2", (like_prefix(task_id),)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    return str(row[0]) if row is not None else None


class StoreError(ZyflowError):
    """The database cannot be opened or used (locked for too long, disk full, read-only)."""


# SQLite's primary result codes that matter here (sqlite3 gives them as sqlite_errorcode).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_FULL, SQLITE_NOTADB = 5, 6, 8, 11, 14, 13, 26


def is_corrupt(err: sqlite3.Error) -> bool:
    """Only these mean the file itself is damaged; a full disk or a read-only folder does not."""
    return (getattr(err, "sqlite_errorcode", 0) or 0) & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def store_error(path: str, err: sqlite3.Error | OSError) -> StoreError:
    """One line that says what went wrong with the store at ``path``, in the user's terms."""
    if isinstance(err, OSError):
        return StoreError(f"{path}: cannot write the state store: {err.strerror or err}")
    code = (getattr(err, "sqlite_errorcode", 0) or 0) & 0xFF
    folder = os.path.dirname(path)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in str(err):
        return StoreError(f"{path}: the database is locked by another process")
    if code == SQLITE_FULL:
        return StoreError(f"{path}: cannot write the state store: the database or disk is full")
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN) and os.path.isdir(folder) and not os.access(folder, os.W_OK):
        return StoreError(f"{path}: cannot write the state store: its folder is read-only")
    return StoreError(f"{path}: {err}")


class _Connection(sqlite3.Connection):
    """A connection whose failures name the database (and say 'disk full', not 'internal error')."""

    path = ""

    def execute(self, sql: str, parameters: object = (), /) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return super().execute(sql, parameters)  # type: ignore[arg-type]
        except sqlite3.OperationalError as err:
            raise store_error(self.path, err) from None

    def executemany(self, sql: str, parameters: object, /) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return super().executemany(sql, parameters)  # type: ignore[arg-type]
        except sqlite3.OperationalError as err:
            raise store_error(self.path, err) from None


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open (SQLite ends one itself on a full disk)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def answer(conn: sqlite3.Connection, name: str, variant: str) -> str | None:
    """The answer kept for command ``name`` if it was made for ``variant`` (width, colour, the
    code that rendered it) and no task or state row changed since."""
    row = conn.execute("SELECT body FROM answers WHERE name = ? AND variant = ?", (name, variant)).fetchone()
    return str(row[0]) if row is not None else None


def keep_answer(conn: sqlite3.Connection, name: str, variant: str, body: str) -> bool:
    """Keep ``body`` as the answer for ``name`` and ``variant``, inside the read transaction that
    made it: when another process wrote the store since that transaction began (or holds its
    write lock, or the store is read-only) nothing is kept (no wait), so a kept answer is never
    older than the rows. Whether it was kept."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (name, variant, body))
        conn.execute("COMMIT")
        return True
    except (sqlite3.Error, StoreError):
        rollback(conn)
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def clock() -> float:
    """This machine's time in seconds; ``ZYFLOW_GIT_CLOCK_SKEW`` (seconds, may be negative)
    shifts it, to try what a machine with a wrong clock does (the runtime log's clock must
    order its events anyway)."""
    skew = os.environ.get("ZYFLOW_GIT_CLOCK_SKEW")
    try:
        return time.time() + (float(skew) if skew else 0.0)
    except ValueError:
        return time.time()


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(clock()))


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, factory=_Connection)
    conn.path = path  # type: ignore[attr-defined]
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"the state database has schema {version}, newer than this zyflow-git ({SCHEMA_VERSION}); upgrade zyflow-git")
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for v in range(version + 1, SCHEMA_VERSION + 1):
            for statement in statements(MIGRATIONS[v]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {v}")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def _create(path: str) -> None:
    """Build a fresh database beside ``path`` and move it into place (no temp file is left)."""
    tmp = f"{path}.{os.getpid()}.new"
    leftovers = (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal")
    try:
        for leftover in leftovers:
            if os.path.exists(leftover):
                os.unlink(leftover)
        conn = _connect(tmp)
        try:
            _migrate(conn)
        finally:
            conn.close()
        if not os.path.exists(path):
            os.replace(tmp, path)
    except (OSError, sqlite3.Error) as err:
        raise store_error(path, err) from None
    finally:
        for leftover in leftovers:
            try:
                os.unlink(leftover)
            except OSError:
                pass


def _journal(conn: sqlite3.Connection) -> None:
    """WAL, synced at checkpoints only: the store is derived from git (files from HEAD, runtime
    state from refs/zyflow/runtime), so a power cut may cost it its last transactions, which the
    next command rebuilds, but never its consistency; an fsync per hook's commit would cost more."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def open_store(path: str) -> sqlite3.Connection:
    """Open (creating if needed) the state database; a corrupt file is set aside and rebuilt.

    Only genuine corruption (SQLITE_CORRUPT, SQLITE_NOTADB) sets the file aside; a full disk,
    a lock or a read-only folder is reported as it is, and the file is left alone.
    """
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError as err:
        raise store_error(path, err) from None
    if not os.path.exists(path):
        _create(path)
    try:
        conn = _connect(path)
        _journal(conn)
        _migrate(conn)
        conn.execute("SELECT count(*) FROM tasks").fetchone()
        return conn
    except (sqlite3.DatabaseError, StoreError) as err:
        cause = err.__context__ if isinstance(err, StoreError) else err
        if not (isinstance(cause, sqlite3.Error) and is_corrupt(cause)):
            if isinstance(err, StoreError):
                raise
            raise store_error(path, err) from None
    # Corrupt: set it aside (the name says when) and start again; runtime state lives on in
    # the set-aside file for whoever wants to dig it out.
    aside = f"{path}.corrupt-{int(time.time())}"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.replace(path + suffix, aside + suffix)
    import sys

    print(f"zyflow-git: warning: {path} was corrupt; set aside as {aside} and rebuilt from git", file=sys.stderr)
    _create(path)
    conn = _connect(path)
    _journal(conn)
    return conn


def task_rows(conn: sqlite3.Connection, *, status: str | None = None) -> list[dict[str, object]]:
    """The tasks at HEAD joined with their runtime state, in file order."""
    sql = ("SELECT t.*, s.status, s.assignee, s.note, s.updated_at FROM tasks t "
           "LEFT JOIN state s ON s.task_id = t.id")
    args: tuple[object, ...] = ()
    if status is not None:
        sql += " WHERE s.status = ?"
        args = (status,)
    sql += " ORDER BY t.path, t.position"
    return [dict(r) for r in conn.execute(sql, args)]
