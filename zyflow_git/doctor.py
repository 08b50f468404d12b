"""Health checks of a repository's zyflow-git set-up; a report as a dict."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .gitcli import config_get, git_path, toplevel
from .install import driver_executable


def attribute_files(top: Path) -> list[Path]:
    """The attribute files git reads for this work tree (top-level and info/attributes)."""
    files = [top / ".gitattributes", git_path("info/attributes", top)]
    return [f for f in files if f.exists()]


def has_zyflow_attribute(top: Path) -> bool:
    pattern = re.compile(r"(?m)^\s*[^#\s]\S*\s+(?:.*\s)?merge=zyflow(?:\s|$)")
    return any(pattern.search(f.read_text(encoding="utf-8", errors="replace")) for f in attribute_files(top))


def driver_report(top: Path) -> dict[str, Any]:
    """The merge driver's state and the problems found with it."""
    command = config_get("merge.zyflow.driver", top)
    name = config_get("merge.zyflow.name", top)
    attribute = has_zyflow_attribute(top)
    problems: list[str] = []
    exe = driver_executable(command) if command else None
    if attribute and command is None:
        problems.append("a .gitattributes line says merge=zyflow but merge.zyflow.driver is not set (run `zyflow-git install`)")
    if command is not None and not attribute:
        problems.append("merge.zyflow.driver is set but no attribute sends files to it")
    if name is not None and command is None:
        problems.append("merge.zyflow.name is set without merge.zyflow.driver: git fails every merge of those files")
    if exe is not None and not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        problems.append(f"the driver's executable {exe} no longer exists (git will use its line merge; re-run `zyflow-git install`)")
    elif command is not None:
        trial = trial_merge(command, top)
        if trial is not None:
            problems.append(trial)
    return {"configured": command is not None, "command": command, "executable": exe,
            "attribute": attribute, "problems": problems}


def trial_merge(command: str, top: Path) -> str | None:
    """Run the configured driver command once, as git would, on a merge that only the
    structured merge makes clean; None when it did, else what went wrong."""
    import subprocess
    import tempfile

    from .install import expand_driver

    base = "- [ ] a\n- [ ] b\n"
    want = "- [x] a\n- [x] b\n"
    with tempfile.TemporaryDirectory(prefix="zyflow-doctor-") as tmp:
        files = {"O": base, "A": "- [x] a\n- [ ] b\n", "B": "- [ ] a\n- [x] b\n"}
        paths = {}
        for key, text in files.items():
            paths[key] = os.path.join(tmp, key)
            with open(paths[key], "w", encoding="utf-8") as fh:
                fh.write(text)
        values = {**paths, "L": "7", "P": "tasks.md"}
        proc = subprocess.run(["sh", "-c", expand_driver(command, values)], cwd=top, capture_output=True, text=True,
                              timeout=60, check=False)
        with open(paths["A"], encoding="utf-8") as fh:
            got = fh.read()
    if proc.returncode == 0 and got == want and "unavailable" not in proc.stderr:
        return None
    said = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    return f"the configured merge driver did not merge a test file (exit {proc.returncode}{': ' + said if said else ''})"


def manager_misses(top: Path, manager: str) -> list[str]:
    """The hooks whose manager's configuration does not call `zyflow-git hook`."""
    from .hooks import HOOKS

    if manager == "husky":
        folder = top / ".husky"
        return [h for h in HOOKS if "zyflow-git hook" not in _text(folder / h)]
    texts = "".join(_text(top / f) for f in ("lefthook.yml", ".lefthook.yml", "lefthook.yaml"))
    return [h for h in HOOKS if f"zyflow-git hook {h}" not in texts]


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return ""


def report(cwd: Path | None = None, repair: bool = False) -> dict[str, Any]:
    """The whole check: repository, db, hooks, driver, fresh; and the problems found."""
    from .hooks import manager_of, reachable
    from .install import record_path
    from .reconcile import Repo, is_fresh, sync
    from .store import open_store

    top = toplevel(cwd)
    driver = driver_report(top)
    problems = list(driver["problems"])
    installed = driver["configured"] or record_path(top).exists()
    if not installed:
        problems.append("zyflow-git is not installed in this repository (run `zyflow-git install`)")
    repo = Repo(top)
    hooks = reachable(top)
    manager = manager_of(top)
    missing = [name for name, h in hooks.items() if not h["ok"]]
    if manager is not None:
        unwired = manager_misses(top, manager)
        if unwired:
            problems.append(f"hooks are managed by {manager}, and its configuration does not call zyflow-git for "
                            f"{', '.join(unwired)} (add the lines `zyflow-git install` prints)")
    elif missing and installed:
        problems.append(f"hooks git will not run for zyflow-git: {', '.join(missing)} (run `zyflow-git install`)")
    if repair:
        import os

        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(repo.db_path + suffix):
                os.unlink(repo.db_path + suffix)
    conn = open_store(repo.db_path)
    try:
        fresh = is_fresh(repo, conn)
        if repair:  # a check reports; --repair repairs
            sync(repo, conn)
        rows = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    finally:
        conn.close()
    if not fresh and not repair:
        problems.append("the state store does not mirror HEAD (hooks skipped or missing): any command, "
                        "`zyflow-git sync` or `doctor --repair` brings it up to date")
    return {"repository": str(top), "db": repo.db_path, "tasks": rows, "hooks": hooks, "hook_manager": manager,
            "driver": driver, "fresh": fresh or repair, "repaired": repair, "problems": problems}
