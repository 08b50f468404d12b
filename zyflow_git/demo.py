"""The narrated demo: a throwaway repository showing zyflow-git's main job, step by step."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

TASKS = """\
# Tasks: add-login

## 1. Backend

- [ ] 1.1 Create the users table
- [ ] 1.2 Hash passwords with argon2
- [ ] 1.3 Login endpoint
  - returns a session cookie

## 2. Frontend

- [ ] 2.1 Login form
- [ ] 2.2 Error messages
"""

Say = Callable[[str], None]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": "Demo Dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Demo Dev", "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(home), "GIT_TERMINAL_PROMPT": "0",
    })
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


class DemoRepo:
    """A scratch repository driven by the real git CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = _env(root.parent)

    def git(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(["git", *args], cwd=self.root, env=self.env, capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


def run_demo(say: Say, keep: bool = False) -> Path | None:
    """Build the demo repository and narrate; returns its path when ``keep``."""
    tmp = Path(tempfile.mkdtemp(prefix="zyflow-demo-"))
    root = tmp / "repo"
    root.mkdir()
    repo = DemoRepo(root)
    rel = "openspec/changes/add-login/tasks.md"
    try:
        repo.git("init", "-q", "-b", "main")
        repo.write(rel, TASKS)
        repo.commit("Plan add-login")
        say(f"1. A repository with one task file, {rel}. zyflow-git parses it:")
        _show_parse(repo.root / rel, say)
        _show_merge(repo, rel, say)
        _show_store(repo, rel, say)
        _show_audit(repo, rel, say)
        _show_actions(repo, rel, say)
        say(f"\nThe demo repository is at {root}" if keep else "\nDone; the demo repository was removed.")
        return root if keep else None
    finally:
        if not keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


def _show_parse(path: Path, say: Say) -> None:
    from .core.parse import parse_bytes
    from .tasklist import task_records

    for r in task_records(parse_bytes(path.read_bytes())):
        box = "[x]" if r["done"] else "[ ]"
        say(f"   line {r['line']:>2}  {'  ' * r['depth']}{box} {r['label']:<4} {r['title']}   ({' > '.join(r['section'])})")


def _show_merge(repo: DemoRepo, rel: str, say: Say) -> None:
    from .install import install_driver, install_hooks

    say("\n2. `zyflow-git install` registers the structured merge driver and the hooks:")
    install_driver(repo.root, out=lambda line: say(f"   {line}"))
    install_hooks(repo.root, out=lambda line: say(f"   {line}"))
    repo.commit("Install zyflow-git")
    repo.git("checkout", "-q", "-b", "alice")
    text = repo.read(rel)
    text = text.replace("- [ ] 1.1", "- [x] 1.1").replace("- [ ] 1.3 Login endpoint", "- [ ] 1.3 Login endpoint (POST /login)")
    text = text.replace("- [ ] 2.2 Error messages\n", "- [ ] 2.2 Error messages\n- [ ] 2.3 Remember-me checkbox\n")
    repo.write(rel, text)
    repo.commit("alice: users table done, endpoint path, remember-me task")
    repo.git("checkout", "-q", "main")
    text = repo.read(rel)
    text = text.replace("- [ ] 1.2", "- [x] 1.2").replace("- [ ] 1.3 Login", "- [x] 1.3 Login")
    text = text.replace("- [ ] 2.2 Error messages\n", "- [ ] 2.2 Error messages\n- [ ] 2.3 Rate-limit failed logins\n")
    repo.write(rel, text)
    repo.commit("main: hashing and endpoint done, rate-limit task")
    say("\n3. Two branches changed the same lines: alice checked 1.1, renamed 1.3 and added 2.3;")
    say("   main checked 1.2 and 1.3 and added its own 2.3. git's line merge conflicts here:")
    base = repo.git("show", f"main~1:{rel}")
    ours, theirs = repo.read(rel), repo.git("show", f"alice:{rel}")
    from .mergedriver import line_merge
    from .core.conflicts import Markers, count_regions

    line_data, _ = line_merge(base.encode(), ours.encode(), theirs.encode(), Markers())
    say(f"   git merge-file: {count_regions(line_data.decode())} conflict region(s).")
    proc = subprocess.run(["git", "merge", "--no-edit", "-q", "alice"], cwd=repo.root, env=repo.env, capture_output=True, text=True)
    say(f"   `git merge alice` through zyflow-git: {'clean' if proc.returncode == 0 else 'CONFLICT'}. The result:")
    for line in repo.read(rel).splitlines():
        say(f"   | {line}")
    say("   Both checks, the rename on one side with the check on the other, and both new tasks")
    say("   (renumbered 2.3 and 2.4) are kept.")


def _zyflow(repo: DemoRepo, *args: str, expect: tuple[int, ...] = (0, 1)) -> str:
    """Run the installed zyflow-git in the demo repository, as a user would; its stdout (and
    stderr, for a refusal the demo shows)."""
    from .install import executable

    exe = executable().split(" ")
    proc = subprocess.run([*exe, *args], cwd=repo.root, env=repo.env, capture_output=True, text=True)
    if proc.returncode not in expect:
        raise RuntimeError(f"zyflow-git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout if proc.returncode in (0, 1) else f"{proc.stderr.strip()}  (exit {proc.returncode})"


def _say_output(say: Say, text: str) -> None:
    """A command's own output, indented under the demo's words."""
    for line in text.splitlines():
        say(f"   {line}")


def _show_store(repo: DemoRepo, rel: str, say: Say) -> None:
    import json

    def show(title: str) -> list[dict[str, object]]:
        say(title)
        _say_output(say, _zyflow(repo, "tasks"))  # what the command itself prints
        return json.loads(_zyflow(repo, "tasks", "--json"))

    rows = show("\n4. The hooks keep a SQLite store in step with HEAD (`zyflow-git tasks`):")
    form = next(r for r in rows if "Login form" in str(r["title"]))
    say(f"\n5. Runtime state is recorded in git (refs/zyflow/runtime), shared by every worktree and\n"
        f"   rebuilt with the store: `zyflow-git set {form['id']} --status in_progress --assignee bob`")
    _zyflow(repo, "set", str(form["id"]), "--status", "in_progress", "--assignee", "bob")
    repo.git("checkout", "-q", "-b", "redesign")
    text = repo.read(rel).replace("- [ ] 2.1 Login form", "- [ ] 2.1 Login form (new design)")
    repo.write(rel, text)
    repo.commit("redesign: reword the form task")
    show("\n6. On a branch that rewords the task, it keeps its id and its runtime state:")
    repo.git("checkout", "-q", "main")
    show("\n7. Back on main (post-checkout synced the store), still in progress, still bob's:")


def _show_audit(repo: DemoRepo, rel: str, say: Say) -> None:

    say("\n8. History is the event log. `zyflow-git log` reads every task's life from the commits,\n"
        "   and the runtime changes from refs/zyflow/runtime beside them:")
    _say_output(say, _zyflow(repo, "log"))
    first = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    say(f"\n9. `zyflow-git replay {first[:8]}`: the tasks as they were in the first commit:")
    _say_output(say, _zyflow(repo, "replay", first))
    say(f"\n10. `zyflow-git blame {rel}`: who added each task, who last changed its box:")
    _say_output(say, _zyflow(repo, "blame", rel))


def _show_actions(repo: DemoRepo, rel: str, say: Say) -> None:
    import json

    say("\n11. People and agents act on tasks by id or PATH#LABEL. What is ready to take (`zyflow-git ready`):")
    _say_output(say, _zyflow(repo, "ready"))
    sel = f"{rel}#2.2"
    say(f"\n12. agent-1 claims one (`zyflow-git claim {sel} --as agent-1`); agent-2, a moment later, is refused:")
    _say_output(say, _zyflow(repo, "claim", sel, "--as", "agent-1"))
    _say_output(say, _zyflow(repo, "claim", sel, "--as", "agent-2", expect=(4,)))
    version = json.loads(_zyflow(repo, "show", sel, "--json"))["version"]
    say(f"\n13. agent-1 finishes: `zyflow-git check {sel} --expect {version} --commit` ticks that one box and\n"
        "    commits it alone; a stale --expect would have been refused (exit 4):")
    _say_output(say, _zyflow(repo, "check", sel, "--expect", version, "--commit"))
    _say_output(say, repo.git("log", "-1", "--format=%B").strip())

