"""The table of ``tasks`` kept in the store (store.answers): never older than the rows.

Differential: after every kind of change (verbs, commits through the hooks, a checkout, a
reset git runs no hook for, a commit with the hooks skipped, a rebuilt store) the table
printed equals one rendered now from ``tasks --json``. And at the SQL level: any change of a
task or state row drops the answer, and an answer made from rows another process changed
meanwhile is not kept.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from zyflow_git.store import answer, keep_answer, open_store, statements
from zyflow_git.tasks_report import table_lines

from .gitutil import Repo

PATH = "openspec/changes/login/tasks.md"
PLAN = "# Tasks\n\n## 1. Backend\n\n- [ ] 1.1 Users table\n- [ ] 1.2 Password hashing\n\n## 2. Frontend\n\n- [ ] 2.1 Login form\n"


def kept(repo: Repo) -> list[tuple[str, str]]:
    return repo.store_query("SELECT name, variant FROM answers")  # type: ignore[return-value]


def table_is_current(repo: Repo) -> None:
    """``tasks`` (kept or made) prints what the rows of ``tasks --json`` render to, twice."""
    want = "".join(line + "\n" for line in table_lines(json.loads(repo.zyflow("tasks", "--json").stdout)))
    assert repo.zyflow("tasks").stdout == want
    assert [name for name, _ in kept(repo)] == ["tasks"]
    assert repo.zyflow("tasks").stdout == want  # from the kept answer


def test_the_kept_table_follows_every_kind_of_change(tmp_path: Path) -> None:
    repo = Repo.installed(tmp_path, {PATH: PLAN})
    table_is_current(repo)
    rows = {r["title"]: r["id"] for r in json.loads(repo.zyflow("tasks", "--json").stdout)}

    repo.zyflow("set", rows["Users table"], "--status", "in_progress", "--assignee", "alice")  # runtime state
    table_is_current(repo)
    repo.zyflow("check", rows["Users table"])
    repo.commit("users done")  # the post-commit hook syncs
    table_is_current(repo)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(PATH, repo.read(PATH).replace("1.2 Password hashing", "1.2 Password hashing with argon2"))
    repo.commit("argon2")
    table_is_current(repo)
    repo.git("checkout", "-q", "main")  # post-checkout
    table_is_current(repo)
    repo.git("reset", "-q", "--hard", "feature")  # no hook: the next command syncs
    table_is_current(repo)
    repo.write(PATH, repo.read(PATH) + "- [ ] 2.2 Remember me\n")
    repo.git("add", "-A")
    repo.git("-c", f"core.hooksPath={tmp_path / 'none'}", "commit", "-q", "-m", "hooks skipped")
    table_is_current(repo)
    assert "2.2 Remember me" in repo.zyflow("tasks").stdout
    repo.zyflow("set", rows["Login form"], "--status", "blocked")
    table_is_current(repo)
    db = repo.store_path()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)  # rebuilt from git, runtime state from its ref
    table_is_current(repo)
    assert "blocked" in repo.zyflow("tasks").stdout


def _store(tmp_path: Path) -> sqlite3.Connection:
    conn = open_store(str(tmp_path / "state.db"))
    conn.execute("INSERT INTO tasks (id, path, section, label, title, done, depth, parent, position, line, key) "
                 "VALUES ('t1', 'tasks.md', '[]', '1', 'One', 0, 0, NULL, 0, 1, 'k1')")
    conn.execute("INSERT INTO state (task_id, status, updated_at, path, key, title) "
                 "VALUES ('t1', 'todo', 'now', 'tasks.md', 'k1', 'One')")
    return conn


def _keep(conn: sqlite3.Connection) -> bool:
    conn.execute("BEGIN")
    conn.execute("SELECT * FROM tasks").fetchall()
    return keep_answer(conn, "tasks", "v", "the table")


CHANGES = [
    "INSERT INTO tasks (id, path, section, label, title, done, depth, parent, position, line, key) "
    "VALUES ('t2', 'tasks.md', '[]', '2', 'Two', 0, 0, NULL, 1, 2, 'k2')",
    "UPDATE tasks SET done = 1 WHERE id = 't1'",
    "DELETE FROM tasks WHERE id = 't1'",
    "INSERT INTO state (task_id, status, updated_at, path, key, title) VALUES ('t9', 'todo', 'now', 'x', 'k', 'X')",
    "UPDATE state SET assignee = 'bob' WHERE task_id = 't1'",
    "DELETE FROM state WHERE task_id = 't1'",
]


@pytest.mark.parametrize("change", CHANGES, ids=["task insert", "task update", "task delete",
                                                 "state insert", "state update", "state delete"])
def test_any_change_of_a_task_or_state_row_drops_the_answer(tmp_path: Path, change: str) -> None:
    conn = _store(tmp_path)
    assert _keep(conn)
    assert answer(conn, "tasks", "v") == "the table"
    assert answer(conn, "tasks", "other width") is None
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('synced_at', 'later')")  # not a row of the table
    assert answer(conn, "tasks", "v") == "the table"
    conn.execute(change)
    assert answer(conn, "tasks", "v") is None


def test_an_answer_made_from_rows_another_process_changed_is_not_kept(tmp_path: Path) -> None:
    reader = _store(tmp_path)
    writer = open_store(str(tmp_path / "state.db"))
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM tasks").fetchall()  # the snapshot the answer is made from
    writer.execute("UPDATE state SET status = 'blocked' WHERE task_id = 't1'")  # committed meanwhile
    assert not keep_answer(reader, "tasks", "v", "made before the change")
    assert answer(reader, "tasks", "v") is None and not reader.in_transaction

    writer.execute("BEGIN IMMEDIATE")  # a writer holds the lock: the reader keeps nothing, and goes on
    writer.execute("UPDATE state SET status = 'todo' WHERE task_id = 't1'")
    assert not _keep(reader)
    writer.execute("COMMIT")
    assert _keep(reader) and answer(writer, "tasks", "v") == "the table"


def test_a_version_4_store_gains_the_answers_and_their_triggers(tmp_path: Path) -> None:
    from zyflow_git.store import MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for version in (1, 2, 3, 4):
        for statement in statements(MIGRATIONS[version]):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    store = open_store(str(db))
    triggers = {name for (name,) in store.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert triggers == {f"answers_after_{t}_{c}" for t in ("tasks", "state") for c in ("insert", "update", "delete")}
    assert store.execute("PRAGMA user_version").fetchone()[0] == 5


def test_statements_are_split_at_their_ends_not_inside_a_trigger() -> None:
    script = "CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM a; DELETE FROM a; END;\n\n"
    assert statements(script) == ["CREATE TABLE a (x);",
                                  "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM a; DELETE FROM a; END;"]


def test_the_first_sync_writes_without_the_triggers_and_leaves_them_armed(tmp_path: Path) -> None:
    """The first sync drops the triggers for its thousands of rows (store.bulk_rows) and puts
    them back in the same transaction: afterwards they are there and drop an answer again; a
    first sync that fails midway leaves them there too (the rollback undoes the drop)."""
    from zyflow_git import reconcile
    from zyflow_git.reconcile import Repo as ZRepo
    from zyflow_git.reconcile import sync

    from .test_tree_changes import git_env

    want = {f"answers_after_{t}_{c}" for t in ("tasks", "state") for c in ("insert", "update", "delete")}
    repo = Repo.create(tmp_path)
    repo.write(PATH, PLAN)
    repo.commit("plan")
    with git_env(repo.env):
        zrepo = ZRepo(repo.root)
        failing = open_store(str(tmp_path / "failing.db"))

        def fail(*_: object) -> None:
            raise RuntimeError("midway")

        store_tasks, reconcile._store_tasks = reconcile._store_tasks, fail  # type: ignore[assignment]
        try:
            with pytest.raises(RuntimeError):
                sync(zrepo, failing)
        finally:
            reconcile._store_tasks = store_tasks  # type: ignore[assignment]
        triggers = {name for (name,) in failing.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert triggers == want and failing.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
        conn = open_store(str(tmp_path / "state.db"))
        sync(zrepo, conn)
    triggers = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert triggers == want and conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 3
    assert _keep(conn) and answer(conn, "tasks", "v") == "the table"
    conn.execute("UPDATE state SET status = 'blocked'")
    assert answer(conn, "tasks", "v") is None
