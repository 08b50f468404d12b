"""Optional commit trailers: ``Zyflow-Task: <id> <event>`` for the staged task changes.

Off by default (``[audit] trailers = true`` in ``.zyflow.toml``). Run from prepare-commit-msg:
never on a merge message unless the resolution itself changed tasks, never twice on an amend
(the old trailers are replaced by the ones the amended commit really carries).
"""

from __future__ import annotations

import os
import subprocess

from .core.events import resolutions, task_events
from .core.identity import fresh_id, normalize_title, task_ids
from .core.parse import parse_bytes
from .gitcli import commit_id, index_entries, read_blobs
from .reconcile import Repo

KEY = "Zyflow-Task"


def _blobs_at(repo: Repo, rev: str | None) -> dict[str, str]:
    if rev is None:
        return {}
    from .reconcile import task_files

    return task_files(repo, rev)


def _staged(repo: Repo) -> dict[str, str]:
    """path -> blob of the task files in the index."""
    return {path: sha for sha, _, path in index_entries(cwd=repo.top) if repo.is_task_file(path)}


def _amending(source: str, sha: str | None, head: str | None) -> bool:
    """Whether this commit replaces HEAD. git tells prepare-commit-msg only without -m
    (source "commit", sha HEAD); with a new message we ask the git process itself (Linux /proc)."""
    if source == "commit" and sha and head and sha == head:
        return True
    pid = os.getppid()
    for _ in range(3):  # the hook's sh, then git (maybe a wrapper in between)
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                argv = fh.read().split(b"\0")
            if b"commit" in argv and b"--amend" in argv:
                return True
            with open(f"/proc/{pid}/stat", "rb") as fh:
                pid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
    return False


def trailer_lines(repo: Repo, source: str, sha: str | None) -> list[str]:
    """The trailers this commit should carry."""
    from .taskview import fresh_connection

    head = commit_id("HEAD", repo.top)
    base = head
    if _amending(source, sha, head):  # the commit replaces HEAD: its changes count from HEAD^
        base = commit_id("HEAD^", repo.top)
    others: list[str] = []
    if source == "merge":
        merge_head = commit_id("MERGE_HEAD", repo.top)
        if merge_head:
            others.append(merge_head)
    new_files = _staged(repo)
    bases = [_blobs_at(repo, base)] + [_blobs_at(repo, o) for o in others]
    conn = fresh_connection(repo)
    try:
        ids_by_path: dict[str, list[str]] = {}
        for row in conn.execute("SELECT path, id FROM tasks ORDER BY path, position"):
            ids_by_path.setdefault(row[0], []).append(row[1])
    finally:
        conn.close()
    head_files = _blobs_at(repo, head)
    paths = sorted(set(new_files) | set(bases[0]))
    blobs = read_blobs(sorted({b for m in (new_files, head_files, *bases) for b in m.values()}), repo.top)
    lines: list[str] = []
    for path in paths:
        new_blob = new_files.get(path)
        if all(b.get(path) == new_blob for b in bases):
            continue  # unchanged against a parent (merges: the change came from a branch)
        new_doc = parse_bytes(blobs[new_blob]) if new_blob in blobs else None
        per_parent = []
        for b in bases:
            old_blob = b.get(path)
            per_parent.append(task_events(parse_bytes(blobs[old_blob]) if old_blob in blobs else None, new_doc))
        events = resolutions(per_parent[0][0], [evs for evs, _ in per_parent[1:]])
        # Ids are the store's, which names the tasks of HEAD: reach them through HEAD's version.
        head_blob = head_files.get(path)
        head_doc = parse_bytes(blobs[head_blob]) if head_blob in blobs else None
        head_ids = ids_by_path.get(path, [])
        if head_doc is None or len(head_doc.tasks) != len(head_ids):
            head_doc, head_ids = None, []
        to_head_new = task_events(head_doc, new_doc)[1] if head_doc is not None and new_doc is not None else {}
        base_blob = bases[0].get(path)
        if base_blob == head_blob:
            from_base = {j: j for j in range(len(head_ids))}
        else:
            base_doc = parse_bytes(blobs[base_blob]) if base_blob in blobs else None
            pairs = task_events(base_doc, head_doc)[1] if base_doc is not None and head_doc is not None else {}
            from_base = {j: k for k, j in pairs.items()}
        # The ids the store will give the new version once committed (identity.task_ids).
        new_ids = task_ids(path, [normalize_title(t.title) for t in new_doc.tasks],
                           [head_ids[to_head_new[k]] if k in to_head_new else None for k in range(len(new_doc.tasks))]
                           ) if new_doc is not None else []
        for e in events:
            if e.new is not None and e.new < len(new_ids):
                tid = new_ids[e.new]
            elif e.new is None and e.old is not None and e.old in from_base:
                tid = head_ids[from_base[e.old]]
            else:
                tid = fresh_id(path, normalize_title(e.title))
            lines.append(f"{KEY}: {tid} {e.event}")
    return lines


def add_trailers(message_file: str, source: str = "", sha: str | None = None, repo: Repo | None = None) -> int:
    """Rewrite the message file with this commit's trailers (replacing any from an amend)."""
    repo = repo or Repo()
    if not repo.config.trailers:
        return 0
    lines = trailer_lines(repo, source, sha)
    with open(message_file, encoding="utf-8", errors="surrogateescape") as fh:
        text = fh.read()
    kept = "".join(line for line in text.splitlines(keepends=True) if not line.startswith(f"{KEY}:"))
    if kept != text:
        with open(message_file, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(kept)
    if not lines:
        return 0
    args = ["git", "interpret-trailers", "--in-place", "--if-exists", "addIfDifferent"]
    for line in lines:
        args += ["--trailer", line]
    subprocess.run([*args, message_file], cwd=repo.top, check=True, capture_output=True,
                   env={**os.environ, "GIT_DIR": os.environ.get("GIT_DIR", "")} if os.environ.get("GIT_DIR") else None)
    return len(lines)
