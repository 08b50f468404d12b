"""Merges where the driver cannot run: a CI job merges the base branch into a pull request's
branch with the driver, so forges (whose merge buttons and mergeability checks use git's line
merge) see a branch that merges cleanly. docs/forges.md has the workflows."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from .errors import BadInput
from .gitcli import commit_id, config_get, git
from .reconcile import Repo


def driver_args(repo: Repo) -> list[str]:
    """``-c`` options that make this git command use the driver even where ``install`` never
    ran (a CI checkout)."""
    from .install import LABELS_SINCE, driver_command, executable, git_version

    args: list[str] = []
    if config_get("merge.zyflow.driver", repo.top) is None:
        command = driver_command(executable(), git_version(repo.top) >= LABELS_SINCE)
        args += ["-c", "merge.zyflow.name=zyflow-git structured task merge", "-c", f"merge.zyflow.driver={command}"]
    return args


def ci_merge(repo: Repo, base: str) -> dict[str, Any]:
    """Merge ``base`` into the checked-out branch with the driver; commit when clean, else abort
    and report (nothing changes). Refused on a dirty work tree. The task-file patterns are
    given as the lowest-priority attributes (the repository's own .gitattributes still wins)."""
    if git("status", "--porcelain", "--untracked-files=no", cwd=repo.top).stdout.strip():
        raise BadInput("the work tree has uncommitted changes; ci-merge runs in a clean checkout")
    theirs = commit_id(base, repo.top)
    if not theirs:
        raise BadInput(f"{base}: not a branch or commit (fetch it first: git fetch origin BASE)")
    before = git("rev-parse", "HEAD", cwd=repo.top).stdout.decode().strip()
    with tempfile.NamedTemporaryFile("w", suffix=".gitattributes", delete=False) as fh:
        from .install import attribute_lines

        fh.write("".join(line + "\n" for line in attribute_lines(repo.config.patterns)))
        attributes = fh.name
    try:
        proc = git("-c", f"core.attributesFile={attributes}", *driver_args(repo), "merge", "--no-edit",
                   "-m", f"Merge {base} (zyflow-git ci-merge: task files merged by task)", theirs,
                   cwd=repo.top, check=False)
    finally:
        os.unlink(attributes)
    after = git("rev-parse", "HEAD", cwd=repo.top).stdout.decode().strip()
    if proc.returncode == 0:
        changed = git("diff", "--name-only", "-z", before, after, cwd=repo.top).stdout.decode("utf-8", "surrogateescape")
        tasks = [p for p in changed.split("\0") if p and repo.is_task_file(p)]
        return {"merged": after != before, "commit": after, "task_files": tasks, "conflicts": []}
    listed = git("diff", "--name-only", "--diff-filter=U", "-z", cwd=repo.top, check=False).stdout
    conflicts = [p for p in listed.decode("utf-8", "surrogateescape").split("\0") if p]
    git("merge", "--abort", cwd=repo.top, check=False)
    if not conflicts:
        message = proc.stderr.decode("utf-8", "replace").strip() or proc.stdout.decode("utf-8", "replace").strip()
        raise BadInput(f"git merge {base} failed: {message.splitlines()[-1] if message else proc.returncode}")
    return {"merged": False, "commit": before, "task_files": [], "conflicts": conflicts,
            "task_conflicts": [p for p in conflicts if repo.is_task_file(p)],
            "other_conflicts": [p for p in conflicts if not repo.is_task_file(p)]}
