"""Issue 10: runtime state is recorded in git (refs/zyflow/runtime), shared by every worktree;
the checkbox and the status agree."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .gitutil import ZYFLOW, Repo

PATH = "tasks.md"
PLAN = "# Plan\r\n\r\n- [ ] 1.1 Users table\r\n- [X] 1.2 Password hashing\r\n- [ ] 1.3 Login endpoint\r\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = Repo.installed(tmp_path, {PATH: PLAN.encode()})
    return r


def rows(repo: Repo) -> dict[str, dict]:
    return {t["title"]: t for t in json.loads(repo.zyflow("tasks", "--json").stdout)}


def db_files(repo: Repo) -> list[Path]:
    db = repo.store_path()
    return [Path(str(db) + s) for s in ("", "-wal", "-shm")]


def test_a_status_set_in_one_worktree_is_seen_in_another(repo: Repo, tmp_path: Path) -> None:
    wt = Repo(tmp_path / "wt", repo.env)
    repo.git("worktree", "add", "-q", "--detach", str(wt.root), "HEAD")
    tid = rows(repo)["Login endpoint"]["id"]
    assert rows(wt)["Login endpoint"]["id"] == tid
    repo.zyflow("set", tid, "--status", "in_progress", "--assignee", "alice")
    seen = rows(wt)["Login endpoint"]
    assert (seen["status"], seen["assignee"]) == ("in_progress", "alice")
    wt.zyflow("set", tid, "--note", "rate limits too")
    assert rows(repo)["Login endpoint"]["note"] == "rate limits too"
    log = repo.git("log", "--format=%s", "refs/zyflow/runtime").splitlines()
    assert log == [f"zyflow: set {tid} note=rate limits too", f"zyflow: set {tid} status=in_progress assignee=alice"]


def test_deleting_every_store_loses_nothing(repo: Repo) -> None:
    tid = rows(repo)["Users table"]["id"]
    repo.zyflow("set", tid, "--status", "blocked", "--assignee", "bob", "--note", "waits for the schema")
    for f in db_files(repo):
        f.unlink(missing_ok=True)
    row = rows(repo)["Users table"]
    assert (row["status"], row["assignee"], row["note"]) == ("blocked", "bob", "waits for the schema")


def test_a_corrupt_store_is_set_aside_with_a_warning_and_runtime_state_survives(repo: Repo) -> None:
    tid = rows(repo)["Users table"]["id"]
    repo.zyflow("set", tid, "--assignee", "carol")
    db = db_files(repo)
    db[0].write_bytes(b"garbage" * 1000)
    for f in db[1:]:
        f.unlink(missing_ok=True)
    proc = repo.zyflow("tasks", "--json")
    assert f"{db[0]} was corrupt; set aside as" in proc.stderr and proc.stderr.count("\n") == 1
    assert {t["id"]: t["assignee"] for t in json.loads(proc.stdout)}[tid] == "carol"


def test_log_shows_runtime_events_beside_file_events(repo: Repo) -> None:
    tid = rows(repo)["Login endpoint"]["id"]
    repo.zyflow("set", tid, "--status", "review", "--assignee", "dan")
    events = json.loads(repo.zyflow("log", tid, "--json").stdout)
    assert [(e["event"], e.get("value"), e.get("old_value")) for e in events] == [
        ("status", "review", "todo"), ("assigned", "dan", None), ("added", None, None)]
    assert events[0]["author"] == "Test Author" and events[0]["title"] == "Login endpoint"


def test_set_done_checks_the_box_in_the_files_spelling_and_only_that_byte_changes(repo: Repo) -> None:
    tid = rows(repo)["Login endpoint"]["id"]
    proc = repo.zyflow("set", tid, "--status", "done")
    assert "checked 1.3 Login endpoint in tasks.md:5 (in the working tree: commit it to share)" in proc.stderr
    assert (repo.root / PATH).read_bytes() == PLAN.replace("- [ ] 1.3", "- [X] 1.3").encode()
    repo.commit("login done")
    assert rows(repo)["Login endpoint"]["status"] == "done"
    proc = repo.zyflow("set", rows(repo)["Password hashing"]["id"], "--status", "in_progress")
    assert "unchecked 1.2 Password hashing" in proc.stderr
    assert (repo.root / PATH).read_bytes() == PLAN.replace("- [ ] 1.3", "- [X] 1.3").replace("- [X] 1.2", "- [ ] 1.2").encode()
    repo.commit("not done after all")
    assert rows(repo)["Password hashing"]["status"] == "in_progress"
    assert repo.zyflow("set", tid, "--status", "done").stderr == ""  # already checked: nothing to do


def test_two_concurrent_sets_both_land_and_the_last_in_the_log_wins(repo: Repo) -> None:
    tid = rows(repo)["Users table"]["id"]
    procs = [subprocess.Popen([ZYFLOW, "set", tid, "--assignee", name], cwd=repo.root, env=repo.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for name in ("erin", "frank", "gina")]
    for p in procs:
        assert p.wait(timeout=60) == 0, p.stderr.read() if p.stderr else ""
    log = [json.loads(line) for line in repo.git("log", "--format=%b", "refs/zyflow/runtime").splitlines() if line.startswith("{")]
    assert sorted(e["set"]["assignee"] for e in log) == ["erin", "frank", "gina"]
    assert rows(repo)["Users table"]["assignee"] == log[0]["set"]["assignee"]  # the newest commit's
    olds = [e["was"]["assignee"] for e in reversed(log)]
    assert olds[0] is None and olds[1:] == [e["set"]["assignee"] for e in reversed(log)][:-1], "each saw the one before"


def test_kill_9_during_a_runtime_write_leaves_the_ref_old_or_new(repo: Repo) -> None:
    tid = rows(repo)["Users table"]["id"]
    rnd = random.Random(7)
    for n in range(12):
        p = subprocess.Popen([ZYFLOW, "set", tid, "--note", f"note {n}"], cwd=repo.root, env=repo.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.05, 0.4))
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=60)
    notes: list[str] = []
    if repo.git("rev-parse", "-q", "--verify", "refs/zyflow/runtime", check=False):  # every write may have been killed
        assert repo.git("cat-file", "-t", "refs/zyflow/runtime").strip() == "commit"  # never a half-written ref
        notes = [json.loads(line)["set"]["note"] for line in repo.git("log", "--format=%b", "refs/zyflow/runtime").splitlines()
                 if line.startswith("{")]
    assert all(n.startswith("note ") for n in notes)
    assert rows(repo)["Users table"]["note"] == (notes[0] if notes else None)
