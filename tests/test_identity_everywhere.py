"""Issue 10: one id per task in every worktree and clone, however each got there."""

from __future__ import annotations

import json
from pathlib import Path

from .gitutil import Repo

PATH = "openspec/changes/login/tasks.md"
PLAN = "## 1. Backend\n\n- [ ] 1.1 Users table\n- [ ] 1.2 Password hashing\n- [ ] 1.3 Login endpoint\n\n## 2. Frontend\n\n- [ ] 2.1 Login form\n"


def ids(repo: Repo) -> dict[str, str]:
    """title -> id, as `tasks --json` says."""
    return {r["title"]: r["id"] for r in json.loads(repo.zyflow("tasks", "--json").stdout)}


def test_the_same_commit_gives_the_same_ids_everywhere(tmp_path: Path) -> None:
    origin = Repo.create(tmp_path, "origin")
    origin.write(PATH, PLAN)
    origin.commit("plan")
    origin.zyflow("install")
    origin.commit("install")
    # history that only a walk explains: a task reworded in steps (each alike, first and last
    # not), another renumbered on a branch
    origin.write(PATH, origin.read(PATH).replace("1.3 Login endpoint", "1.3 Login endpoint for users"))
    origin.commit("reword once")
    origin.write(PATH, origin.read(PATH).replace("1.3 Login endpoint for users", "1.3 Endpoint for users signing in"))
    origin.commit("reword twice")
    origin.git("checkout", "-q", "-b", "feature")
    origin.write(PATH, origin.read(PATH).replace("- [ ] 1.1 Users table\n", "- [ ] 1.1 Schema\n- [ ] 1.2 Users table\n")
                 .replace("1.2 Password", "1.3 Password").replace("1.3 Endpoint", "1.4 Endpoint"))
    origin.commit("insert a task")
    origin.git("checkout", "-q", "main")
    origin.write(PATH, origin.read(PATH).replace("[ ] 2.1", "[x] 2.1"))
    origin.commit("form done")
    origin.git("merge", "-q", "--no-edit", "feature")
    want = ids(origin)
    born = json.loads(origin.zyflow("log", "--json", "--author", "Test").stdout)
    assert [e["title"] for e in born if e["event"] == "added" and e["id"] == want["Endpoint for users signing in"]] == [
        "Login endpoint"], "the reworded task keeps the id it was born with"

    # a linked worktree at the same commit
    wt = Repo(tmp_path / "wt", origin.env)
    origin.git("worktree", "add", "-q", "--detach", str(wt.root), "HEAD")
    assert ids(wt) == want

    # a fresh clone, a clone rebuilt by doctor --repair, a worktree whose store was deleted
    clone = Repo(tmp_path / "clone", origin.env)
    origin.run("git", "clone", "-q", str(origin.root), str(clone.root))
    clone.zyflow("install")
    assert ids(clone) == want
    clone.zyflow("doctor", "--repair", check=False)
    assert ids(clone) == want
    db = wt.store_path()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    assert ids(wt) == want

    # fetch: origin moves on (a rebased side branch merged); the clone fetches and follows
    origin.git("checkout", "-q", "-b", "side", "HEAD~1")
    origin.write(PATH, origin.read(PATH).replace("2.1 Login form", "2.1 Login form with hints"))
    origin.commit("hints")
    origin.git("rebase", "-q", "main")
    origin.git("checkout", "-q", "main")
    origin.git("merge", "-q", "--ff-only", "side")
    want = ids(origin)
    assert want["Login form with hints"] == ids(clone)["Login form"]
    clone.git("pull", "-q", "--ff-only")
    assert ids(clone) == want

    # a clone that synced after every commit (hooks), walking the same history step by step
    step = Repo(tmp_path / "step", origin.env)
    first = origin.git("rev-list", "--max-parents=0", "HEAD").strip()
    origin.run("git", "clone", "-q", "--no-checkout", str(origin.root), str(step.root))
    step.git("checkout", "-q", first)
    step.zyflow("install")
    for commit in origin.git("rev-list", "--reverse", "--first-parent", "HEAD").split()[1:]:
        step.git("checkout", "-q", "-f", commit)  # install wrote files the next commit tracks; the hook syncs
    assert ids(step) == want


def test_ids_a_hook_gave_by_carrying_are_settled_to_historys_and_stay_aliases(tmp_path: Path) -> None:
    """A checkout that jumps across a rewording chain: the hook (no history walk: its budget)
    matches old HEAD to new HEAD and names the task anew; the next command settles it to the
    id history gives, moves its runtime state along, and the hook's id keeps working."""
    r = Repo.create(tmp_path)
    r.write(PATH, PLAN)
    r.commit("plan")
    r.git("checkout", "-q", "-b", "feature")
    for new in ("1.3 Login endpoint for users", "1.3 Endpoint for users signing in"):
        r.write(PATH, r.read(PATH).replace(r.read(PATH).split("\n")[4][6:], new))
        r.commit(new)
    r.git("checkout", "-q", "main")
    r.zyflow("install")
    r.commit("install")
    r.git("merge", "-q", "--no-edit", "feature")  # post-merge hook: main's version -> the merge's
    import sqlite3

    db = r.store_path()
    with sqlite3.connect(db) as conn:
        hooked = dict(conn.execute("SELECT title, id FROM tasks").fetchall())["Endpoint for users signing in"]
    settled = ids(r)["Endpoint for users signing in"]
    assert settled != hooked and settled == ids(r)["Endpoint for users signing in"]
    proc = r.zyflow("set", hooked, "--status", "in_progress")
    assert f"{hooked} is an old id of {settled}" in proc.stderr
    assert {e["id"] for e in json.loads(r.zyflow("log", hooked, "--json").stdout)} == {settled}
    assert {t["id"]: t["status"] for t in json.loads(r.zyflow("tasks", "--json").stdout)}[settled] == "in_progress"
