"""The demo runs, and `zyflow-git log` tells its repository's story correctly."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .gitutil import ZYFLOW, isolated_env


def test_demo_story(tmp_path: Path) -> None:
    env = isolated_env(tmp_path / "home")
    proc = subprocess.run([ZYFLOW, "demo", "--keep"], capture_output=True, text=True, env=env, check=True)
    assert "`git merge alice` through zyflow-git: clean" in proc.stdout
    root = Path(proc.stdout.rsplit("The demo repository is at ", 1)[1].strip())
    try:
        log = json.loads(subprocess.run([ZYFLOW, "log", "--json"], cwd=root, env=env, capture_output=True,
                                        text=True, check=True).stdout)
        acted = [e for e in log if e["title"] == "Error messages" and e["event"] != "added"]  # steps 11-13
        assert sorted((e["event"], e.get("value")) for e in acted) == [
            ("assigned", "agent-1"), ("checked", None), ("status", "in_progress")]
        assert next(e for e in acted if e["event"] == "checked")["subject"] == "Check 2.2 Error messages"
        log = [e for e in log if e not in acted]
        story = [(e["subject"].split(":")[0], e["event"], e["title"]) for e in log]
        form_id = next(e["id"] for e in log if e["title"] == "Login form")
        assert story[:2] == [(f"set {form_id} status=in_progress assignee=bob", "status", "Login form"),
                             (f"set {form_id} status=in_progress assignee=bob", "assigned", "Login form")]
        assert [(e["old_value"], e["value"]) for e in log[:2]] == [("todo", "in_progress"), (None, "bob")]
        assert story[2:] == [
            ("main", "added", "Rate-limit failed logins"),
            ("main", "checked", "Hash passwords with argon2"),
            ("main", "checked", "Login endpoint"),
            ("alice", "added", "Remember-me checkbox"),
            ("alice", "checked", "Create the users table"),
            ("alice", "edited", "Login endpoint (POST /login)"),
            ("Plan add-login", "added", "Create the users table"),
            ("Plan add-login", "added", "Hash passwords with argon2"),
            ("Plan add-login", "added", "Login endpoint"),
            ("Plan add-login", "added", "Login form"),
            ("Plan add-login", "added", "Error messages"),
        ]
        ids = {e["title"]: e["id"] for e in log}
        assert ids["Login endpoint"] == ids["Login endpoint (POST /login)"]
        blame = subprocess.run([ZYFLOW, "blame", "openspec/changes/add-login/tasks.md"], cwd=root, env=env,
                               capture_output=True, text=True, check=True).stdout
        for line in blame.splitlines():  # step 10's real output (step 13 then checked Error messages)
            assert "Error messages" in line or "   " + line + "\n" in proc.stdout, "the demo shows the real output"
        tasks = json.loads(subprocess.run([ZYFLOW, "tasks", "--json"], cwd=root, env=env, capture_output=True,
                                          text=True, check=True).stdout)
        form = next(t for t in tasks if t["title"] == "Login form")
        assert (form["status"], form["assignee"]) == ("in_progress", "bob")
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
