"""End to end: the state store follows every git operation; runtime state follows its tasks."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from zyflow_git.core.parse import parse_bytes
from zyflow_git.tasklist import display

from .gitutil import ZYFLOW, Repo

PATH = "openspec/changes/login/tasks.md"
BASE = """# Tasks

## 1. Backend

- [ ] 1.1 Users table
- [ ] 1.2 Password hashing
- [ ] 1.3 Login endpoint

## 2. Frontend

- [ ] 2.1 Login form
"""
USER_HOOK = "#!/bin/sh\n# my own hook\necho \"user hook ran: $1\" >> \"$(git rev-parse --git-dir)/user-hook.log\"\nexit 0\n"


def tasks(repo: Repo, *args: str) -> list[dict]:
    proc = repo.zyflow("tasks", "--json", *args)
    return json.loads(proc.stdout)


def tree_tasks(repo: Repo) -> list[tuple[str, str, str, bool]]:
    """What the tree at HEAD says, parsed independently of the store."""
    out = []
    files = repo.git("ls-tree", "-r", "--name-only", "HEAD").split("\n")
    for path in sorted(f for f in files if f.endswith("tasks.md")):
        data = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=repo.root, env=repo.env,
                              capture_output=True, check=True).stdout
        out += [(path, t.label, display(t.title.strip()), t.done) for t in parse_bytes(data).tasks]
    return out


def store_matches_tree(repo: Repo, *, hooked: bool = True) -> None:
    """``tasks --json`` equals the tree at HEAD; after an operation that runs hooks, so does
    the database read directly (no command synced it)."""
    want = tree_tasks(repo)
    if hooked:
        import sqlite_utils

        db = sqlite_utils.Database(repo.store_path())
        rows = db["tasks"].rows_where(order_by="path, position", select="path, label, title, done")
        assert [(r["path"], r["label"], r["title"], bool(r["done"])) for r in rows] == want
        db.close()
    assert [(r["path"], r["label"], r["title"], r["done"]) for r in tasks(repo)] == want


def by_title(rows: list[dict]) -> dict[str, dict]:
    return {r["title"]: r for r in rows}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = Repo.create(tmp_path)
    r.write(PATH, BASE)
    r.commit("plan")
    hooks = r.root / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "post-commit").write_text(USER_HOOK)
    os.chmod(hooks / "post-commit", 0o755)
    r.zyflow("install")
    r.commit("install zyflow-git")
    return r


def test_install_keeps_the_user_hook_and_uninstall_restores_it(repo: Repo) -> None:
    hook = repo.root / ".git" / "hooks" / "post-commit"
    assert "BEGIN zyflow-git" in hook.read_text() and "my own hook" in hook.read_text()
    repo.write(PATH, BASE.replace("[ ] 1.1", "[x] 1.1"))
    repo.commit("check 1.1")
    assert "user hook ran" in (repo.root / ".git" / "user-hook.log").read_text()
    store_matches_tree(repo)  # the hook synced, without any command asking
    repo.zyflow("uninstall")
    assert hook.read_text() == USER_HOOK
    for name in ("post-checkout", "post-merge", "post-rewrite"):
        assert not (repo.root / ".git" / "hooks" / name).exists()


def test_every_git_operation_keeps_store_and_runtime_state(repo: Repo) -> None:
    rows = by_title(tasks(repo))
    login = rows["Login endpoint"]["id"]
    form = rows["Login form"]["id"]
    repo.zyflow("set", login, "--status", "in_progress", "--assignee", "alice")
    repo.zyflow("set", form, "--status", "blocked")

    # commit: renumber by inserting a task at the top; 1.3 becomes 1.4 and keeps its state
    repo.write(PATH, BASE.replace("- [ ] 1.1 Users table", "- [ ] 1.1 Schema design\n- [ ] 1.2 Users table")
               .replace("1.2 Password", "1.3 Password").replace("1.3 Login", "1.4 Login"))
    repo.commit("insert a task")
    store_matches_tree(repo)
    rows = by_title(tasks(repo))
    assert rows["Login endpoint"]["id"] == login and rows["Login endpoint"]["label"] == "1.4"
    assert rows["Login endpoint"]["status"] == "in_progress" and rows["Login endpoint"]["assignee"] == "alice"

    # branch + checkout: the branch checks the login task and rewords it
    repo.git("checkout", "-q", "-b", "feature")
    text = repo.read(PATH).replace("- [ ] 1.4 Login endpoint", "- [x] 1.4 Login endpoint (POST /login)")
    repo.write(PATH, text)
    repo.commit("login done")
    store_matches_tree(repo)
    rows = by_title(tasks(repo))
    assert rows["Login endpoint (POST /login)"]["id"] == login
    assert rows["Login endpoint (POST /login)"]["status"] == "done"

    repo.git("checkout", "-q", "main")
    store_matches_tree(repo)
    rows = by_title(tasks(repo))
    assert rows["Login endpoint"]["id"] == login
    assert rows["Login endpoint"]["status"] == "in_progress", "unchecking restores the status before done"

    # main edits another task; merge through the driver
    repo.write(PATH, repo.read(PATH).replace("- [ ] 2.1 Login form", "- [x] 2.1 Login form"))
    repo.commit("form done")
    assert by_title(tasks(repo))["Login form"]["status"] == "done"
    repo.git("merge", "--no-edit", "-q", "feature")
    store_matches_tree(repo)
    rows = by_title(tasks(repo))
    assert rows["Login endpoint (POST /login)"]["id"] == login and rows["Login form"]["id"] == form

    # rebase: a side branch rebased onto main
    repo.git("checkout", "-q", "-b", "side", "HEAD~2")
    repo.write(PATH, repo.read(PATH).replace("- [ ] 1.3 Password hashing", "- [ ] 1.3 Password hashing with argon2"))
    repo.commit("argon2")
    repo.git("rebase", "-q", "main")
    store_matches_tree(repo)
    rows = by_title(tasks(repo))
    assert rows["Login endpoint (POST /login)"]["id"] == login

    # cherry-pick, amend, reset
    repo.git("checkout", "-q", "main")
    repo.git("cherry-pick", "side")
    store_matches_tree(repo)
    repo.write(PATH, repo.read(PATH) + "- [ ] 2.2 Remember me\n")
    repo.git("commit", "-q", "-a", "--amend", "--no-edit")
    store_matches_tree(repo)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    store_matches_tree(repo, hooked=False)  # git has no post-reset hook: the next command syncs
    rows = by_title(tasks(repo))
    assert rows["Login endpoint (POST /login)"]["status"] == "done"
    assert rows["Login form"]["id"] == form


def test_gone_task_keeps_its_state_and_gets_it_back(repo: Repo) -> None:
    form = by_title(tasks(repo))["Login form"]["id"]
    repo.zyflow("set", form, "--status", "review", "--note", "check a11y")
    repo.git("checkout", "-q", "-b", "drop")
    repo.write(PATH, BASE.replace("- [ ] 2.1 Login form\n", ""))
    repo.commit("drop the form")
    assert "Login form" not in by_title(tasks(repo))
    repo.git("checkout", "-q", "main")
    row = by_title(tasks(repo))["Login form"]
    assert (row["id"], row["status"], row["note"]) == (form, "review", "check a11y")


def test_deleted_or_corrupt_database_is_rebuilt(repo: Repo) -> None:
    before = [(r["id"], r["title"]) for r in tasks(repo)]
    db = repo.store_path()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    assert [(r["id"], r["title"]) for r in tasks(repo)] == before
    db.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    assert [r["title"] for r in tasks(repo)] == [t for _, t in before]
    report = json.loads(repo.zyflow("doctor", "--repair", "--json", check=False).stdout)
    assert report["fresh"] and report["tasks"] == len(before)
    assert {"db", "hooks", "driver", "fresh"} <= set(report)


def test_linked_worktree_has_its_own_state(repo: Repo, tmp_path: Path) -> None:
    repo.git("branch", "other")
    wt = tmp_path / "wt"
    repo.git("worktree", "add", "-q", str(wt), "other")
    other = Repo(wt, repo.env)
    other.write(PATH, BASE.replace("[ ] 2.1", "[x] 2.1"))
    other.commit("in the worktree")
    main_db = repo.store_path()
    wt_db = other.store_path()
    assert main_db != wt_db and Path(wt_db).exists()
    assert by_title(tasks(other))["Login form"]["done"] is True
    assert by_title(tasks(repo))["Login form"]["done"] is False


def test_worktree_view_marks_uncommitted_edits(repo: Repo) -> None:
    repo.write("other/tasks.md", "- [ ] untouched task\n")
    repo.commit("another task file")
    repo.write(PATH, BASE.replace("[ ] 1.1", "[x] 1.1") + "- [ ] 2.2 New idea\n")
    rows = by_title(tasks(repo, "--worktree"))
    assert rows["untouched task"]["uncommitted"] is None
    assert rows["untouched task"]["id"] == by_title(tasks(repo))["untouched task"]["id"]
    assert rows["Users table"]["uncommitted"] == "changed" and rows["Users table"]["done"] is True
    new = rows["New idea"]
    assert new["uncommitted"] == "added" and new["provisional"] is True and new["id"].startswith("t")
    assert rows["Users table"]["provisional"] is False
    assert rows["Login form"]["uncommitted"] is None
    assert by_title(tasks(repo))["Users table"]["done"] is False, "HEAD's view is not mixed with edits"
    repo.commit("the edits")
    assert by_title(tasks(repo))["New idea"]["id"] == new["id"], "committed as is, the provisional id is the id"


def test_set_rejects_unknown_id_and_status(repo: Repo) -> None:
    bad = repo.zyflow("set", "nope", "--status", "todo", check=False)
    assert bad.returncode == 2 and "no task by that id" in bad.stderr and bad.stderr.count("\n") == 1
    tid = tasks(repo)[0]["id"]
    bad = repo.zyflow("set", tid, "--status", "finished", check=False)
    assert bad.returncode == 2 and "is not one of 'todo'" in bad.stderr


def test_hook_with_missing_executable_warns_once_and_git_goes_on(repo: Repo) -> None:
    hook = repo.root / ".git" / "hooks" / "post-commit"
    hook.write_text(hook.read_text().replace(ZYFLOW, "/nonexistent/zyflow-git"))
    repo.write(PATH, BASE.replace("[ ] 1.1", "[x] 1.1"))
    repo.git("add", "-A")
    first = repo.run("git", "commit", "-q", "-m", "one")
    assert "is missing" in first.stderr
    repo.write(PATH, BASE.replace("[ ] 1.2", "[x] 1.2"))
    repo.git("add", "-A")
    second = repo.run("git", "commit", "-q", "-m", "two")
    assert "is missing" not in second.stderr
    assert "user hook ran" in (repo.root / ".git" / "user-hook.log").read_text()


def test_garbage_task_file_never_breaks_git(repo: Repo) -> None:
    repo.write(PATH, b"\x00\xff\xfe garbage \x00\n- [ ] still a task? \xc3\x28\n")
    repo.commit("garbage")
    store_matches_tree(repo)
    assert repo.zyflow("doctor", "--json", check=False).returncode in (0, 1)


def test_killed_sync_leaves_old_or_new_state(repo: Repo) -> None:
    big = "# Big\n\n" + "".join(f"- [ ] 9.{i} Generated task number {i}\n" for i in range(4000))
    for k in range(4):
        repo.write(f"big{k}/tasks.md", big.replace("Generated", f"File {k}"))
    repo.git("add", "-A")
    repo.run("git", "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "big")  # no hook: we sync by hand
    db = repo.store_path()
    for delay in (0.05, 0.15, 0.3, 0.5):
        proc = subprocess.Popen([ZYFLOW, "sync"], cwd=repo.root, env=repo.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db)
        files = dict(conn.execute("SELECT path, blob FROM files"))
        counts = dict(conn.execute("SELECT path, count(*) FROM tasks GROUP BY path"))
        conn.close()
        big_files = [p for p in files if p.startswith("big")]
        assert len(big_files) in (0, 4), "a sync is all or nothing"
        assert all(counts.get(p) == 4000 for p in big_files)
    repo.zyflow("sync")
    store_matches_tree(repo)


def test_two_syncs_at_once(repo: Repo) -> None:
    repo.write("other/tasks.md", "".join(f"- [ ] task {i}\n" for i in range(2000)))
    repo.git("add", "-A")
    repo.run("git", "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "more")
    procs = [subprocess.Popen([ZYFLOW, "sync"], cwd=repo.root, env=repo.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    store_matches_tree(repo)
    ids = [r["id"] for r in tasks(repo)]
    assert len(ids) == len(set(ids))


def test_core_hooks_path_is_honoured_never_set(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write(PATH, BASE)
    r.commit("plan")
    r.git("config", "core.hooksPath", "githooks")
    r.zyflow("install")
    assert (r.root / "githooks" / "post-commit").exists()
    assert not (r.root / ".git" / "hooks" / "post-commit").exists()
    assert r.git("config", "core.hooksPath").strip() == "githooks"
    r.write(PATH, BASE.replace("[ ] 1.1", "[x] 1.1"))
    r.commit("check")
    store_matches_tree(r)


def test_husky_gets_a_snippet_not_our_files(tmp_path: Path) -> None:
    r = Repo.create(tmp_path)
    r.write(PATH, BASE)
    r.commit("plan")
    (r.root / ".husky" / "_").mkdir(parents=True)
    r.git("config", "core.hooksPath", ".husky/_")
    out = r.zyflow("install").stdout
    assert "managed by husky" in out and "hook post-checkout" in out
    assert not any((r.root / ".husky" / "_").iterdir())
    report = json.loads(r.zyflow("doctor", "--json", check=False).stdout)
    assert report["hook_manager"] == "husky"


def test_changed_patterns_take_effect(repo: Repo) -> None:
    repo.write("TODO.md", "- [ ] outside the default patterns\n")
    repo.commit("todo")
    assert "outside the default patterns" not in by_title(tasks(repo))
    toml = repo.root / ".zyflow.toml"
    toml.write_text(toml.read_text().replace('"**/tasks.md"', '"**/tasks.md", "TODO.md"'))
    assert "outside the default patterns" in by_title(tasks(repo))


def test_syncs_that_keep_unchanged_rows_leave_what_a_rebuild_makes(repo: Repo) -> None:
    """A sync stores only the rows that changed; after every kind of edit the tasks table (all
    its columns) is what a sync into an empty store makes of the same HEAD."""
    other = "openspec/changes/other/tasks.md"

    def rows() -> list[tuple]:
        return repo.store_query("SELECT * FROM tasks ORDER BY path, position")

    def rebuilt() -> list[tuple]:
        db = repo.store_path()
        saved = {s: Path(str(db) + s).read_bytes() for s in ("", "-wal", "-shm") if Path(str(db) + s).exists()}
        for s in saved:
            Path(str(db) + s).unlink()
        repo.zyflow("sync")
        out = rows()
        for s in ("", "-wal", "-shm"):
            Path(str(db) + s).unlink(missing_ok=True)
        for s, data in saved.items():
            Path(str(db) + s).write_bytes(data)
        return out

    plan = repo.read(PATH)
    lines = [line for line in plan.splitlines(keepends=True)]
    tasks_at = [i for i, line in enumerate(lines) if "[ ]" in line or "[x]" in line or "[X]" in line]
    edits = [
        lambda ls: ls[:tasks_at[0]] + [ls[tasks_at[0]].replace("[ ]", "[x]", 1)] + ls[tasks_at[0] + 1:],  # a check
        lambda ls: ls[:tasks_at[1]] + ["- [ ] 1.9 Inserted in the middle\n"] + ls[tasks_at[1]:],  # positions shift
        lambda ls: ls[:tasks_at[1]] + ls[tasks_at[1] + 1:],  # one removed
        lambda ls: [line.replace("Login", "Sign-in") for line in ls],  # reworded
        lambda ls: ls[:2] + ls[2:][::-1],  # reordered (sections and all)
    ]
    for n, edit in enumerate(edits):
        lines = edit(lines)
        repo.write(PATH, "".join(lines))
        if n == 2:  # a task moves to another file
            repo.write(other, "- [ ] 9.1 Moved here\n" + "".join(lines[tasks_at[-1]:tasks_at[-1] + 1]))
        repo.commit(f"edit {n}")
        assert rows() == rebuilt(), f"after edit {n}"
