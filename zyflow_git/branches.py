"""Task state across branches, and what a merge would do to the task files, read from blobs
only (no checkout, the working tree and index untouched).

- ``compare``: for each task file, the tasks as they stand on other branches (local and
  remote-tracking) beside the current one: checked on ``feature-x``, added on
  ``origin/agent-2``, reworded on ``main``. Each branch's version of a file is matched to the
  current one by the merge driver's matcher (tasks keep their ids); identical blobs cost nothing.
- ``preview``: ``git merge-tree --write-tree`` (git >= 2.38) runs the merge with the configured
  driver into objects only; each task file's merged version is compared with HEAD's.
"""

from __future__ import annotations

import fnmatch
import sqlite3
from typing import Any

from .core.events import task_events
from .core.parse import parse_bytes
from .errors import BadInput
from .gitcli import commit_id, current_branch, git, read_blobs, tree_blobs
from .reconcile import Repo, _match_ids, task_files
from .tasklist import task_records


def branch_tips(repo: Repo, pattern: str | None, current: str | None) -> list[tuple[str, str]]:
    """(short name, commit) of local and remote-tracking branches matching ``pattern`` (a glob
    on the short name), the ``current`` branch left out."""
    out = git("for-each-ref", "--format=%(refname:short)%00%(objectname)%00%(symref)", "refs/heads", "refs/remotes",
              cwd=repo.top).stdout.decode("utf-8", "surrogateescape")
    tips = []
    for line in out.splitlines():
        name, sha, symref = line.split("\0")
        if symref or name == current or (pattern and not fnmatch.fnmatchcase(name, pattern)):
            continue
        tips.append((name, sha))
    return tips


def compare(repo: Repo, conn: sqlite3.Connection, pattern: str | None = None) -> dict[str, Any]:
    """The task files of the current branch beside every matching branch (see module doc)."""
    current = current_branch(repo.top)
    tips = branch_tips(repo, pattern, current)
    here = repo.head_files()
    there = {name: task_files(repo, sha) for name, sha in tips}
    blobs = read_blobs(sorted({b for files in there.values() for b in files.values()} | set(here.values())), repo.top)
    docs: dict[str, Any] = {}

    def doc(blob: str) -> Any:
        if blob not in docs:
            docs[blob] = parse_bytes(blobs[blob]) if blob in blobs else None
        return docs[blob]

    paths = sorted(set(here) | {p for files in there.values() for p in files})
    files = []
    for path in paths:
        rows = [dict(r) for r in conn.execute("SELECT id, label, title, done FROM tasks WHERE path = ? ORDER BY position", (path,))]
        head_blob = here.get(path)
        items = [{"id": r["id"], "label": r["label"], "title": r["title"], "done": bool(r["done"]), "on": {}} for r in rows]
        by_id = {i["id"]: i for i in items}
        only: list[dict[str, Any]] = []
        for name, _ in tips:
            blob = there[name].get(path)
            if blob == head_blob:
                continue
            if blob is None:
                for i in items:
                    i["on"][name] = {"change": "no file"}
                continue
            other = doc(blob)
            if other is None:
                continue
            records = task_records(other, path)
            ids = (_match_ids(blobs.get(head_blob or ""), [r["id"] for r in rows], other) if head_blob and rows
                   else [None] * len(records))
            seen = set()
            for tid, rec in zip(ids, records):
                if tid is None or tid not in by_id:
                    only.append({"branch": name, "label": rec["label"], "title": rec["title"], "done": rec["done"]})
                    continue
                seen.add(tid)
                mine = by_id[tid]
                if rec["done"] != mine["done"]:
                    mine["on"][name] = {"change": "checked" if rec["done"] else "unchecked", "done": rec["done"]}
                elif rec["title"] != mine["title"]:
                    mine["on"][name] = {"change": "reworded", "title": rec["title"]}
            for i in items:
                if i["id"] not in seen and name not in i["on"]:
                    i["on"][name] = {"change": "removed"}
        files.append({"path": path, "tasks": items, "only_on": only})
    return {"current": current or "HEAD", "branches": [n for n, _ in tips], "files": files}


# -- preview: a dry run of a merge, for the task files ------------------------------------------------


def preview(repo: Repo, branch: str) -> dict[str, Any]:
    """What merging ``branch`` into HEAD would do to the task files (and which files would
    conflict), without touching the working tree or the index."""
    from .install import git_version

    if git_version(repo.top) < (2, 38):
        raise BadInput("preview needs git 2.38 or newer (git merge-tree --write-tree)")
    if repo.head is None:
        raise BadInput("no commit yet: nothing to merge into")
    theirs = commit_id(branch, repo.top)
    if not theirs:
        raise BadInput(f"{branch}: not a branch or commit")
    base = git("merge-base", "HEAD", theirs, cwd=repo.top, check=False).stdout.decode().strip() or None
    proc = git("merge-tree", "--write-tree", "--name-only", "-z", "HEAD", theirs, cwd=repo.top, check=False)
    if proc.returncode not in (0, 1):
        raise BadInput(f"git merge-tree failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    parts = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    tree = parts[0]
    conflicted: list[str] = []
    for p in parts[1:]:
        if not p:
            break
        conflicted.append(p)
    merged = tree_blobs(tree, repo.top)
    sides = {"base": task_files(repo, base) if base else {}, "ours": repo.head_files(), "theirs": task_files(repo, theirs)}
    paths = sorted({p for p in set(merged) | set(sides["ours"]) if repo.is_task_file(p)
                    and (merged.get(p) != sides["ours"].get(p) or p in conflicted)})
    wanted = {b for p in paths for b in (merged.get(p), sides["base"].get(p), sides["ours"].get(p), sides["theirs"].get(p)) if b}
    blobs = read_blobs(sorted(wanted), repo.top)

    def parsed(blob: str | None) -> Any:
        return parse_bytes(blobs[blob]) if blob in blobs else None

    files = []
    for path in paths:
        ours, theirs_doc, base_doc = parsed(sides["ours"].get(path)), parsed(sides["theirs"].get(path)), parsed(sides["base"].get(path))
        result = parsed(merged.get(path))
        changes = [{"event": e.event, "label": e.label, "title": e.title} for e in task_events(ours, result)[0]]
        both = _touched_by_both(base_doc, ours, theirs_doc)
        files.append({"path": path, "status": "conflict" if path in conflicted else "clean", "changes": changes,
                      "both_touched": both})
    others = [p for p in conflicted if not repo.is_task_file(p)]
    return {"branch": branch, "tree": tree, "clean": not conflicted, "files": files, "other_conflicts": others}


def _touched_by_both(base: Any, ours: Any, theirs: Any) -> list[str]:
    """Titles of the base's tasks that both sides changed (checked, reworded, moved, removed)."""
    if base is None or ours is None or theirs is None:
        return []
    mine = {e.old for e in task_events(base, ours)[0] if e.old is not None}
    yours = {e.old for e in task_events(base, theirs)[0] if e.old is not None}
    tasks = base.tasks
    return [tasks[k].title.strip() for k in sorted(mine & yours)]
