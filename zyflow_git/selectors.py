"""Selectors: how people, scripts and agents name tasks.

A selector is a task id, a unique prefix of one, an old id (an alias), or ``PATH#LABEL``
(``openspec/changes/add-login/tasks.md#1.3``); ``PATH`` alone names the tasks of a file (or
of the task files under a folder). Paths are relative to the current folder or to the top of
the work tree. A selector that names nothing is ``NotFound`` (exit 2), one that names several
tasks ``Ambiguous`` (exit 2, with the candidates).
"""

from __future__ import annotations

import os
import sqlite3
import sys

from .errors import Ambiguous, NotFound
from .reconcile import Repo
from .store import like_prefix, resolve_alias
from .worktree import WorkFile, WorkTask, load, task_paths


class View:
    """The working tree's task files, loaded as the selectors need them (a file at a time
    where the selector names it; all of them for an id only the working tree knows)."""

    def __init__(self, repo: Repo, conn: sqlite3.Connection) -> None:
        self.repo, self.conn = repo, conn
        self._files: dict[str, WorkFile] = {}
        self._paths: list[str] | None = None

    def paths(self) -> list[str]:
        if self._paths is None:
            self._paths = task_paths(self.repo, self.conn)
        return self._paths

    def file(self, path: str) -> WorkFile:
        if path not in self._files:
            self._files[path] = load(self.repo, self.conn, [path])[0]
        return self._files[path]

    def files(self, paths: list[str] | None = None) -> list[WorkFile]:
        wanted = self.paths() if paths is None else paths
        missing = [p for p in wanted if p not in self._files]
        for wf in load(self.repo, self.conn, missing) if missing else []:
            self._files[wf.path] = wf
        return [self._files[p] for p in wanted]


def repo_path(repo: Repo, text: str) -> str:
    """``text`` as a path from the top of the work tree: relative to the current folder when
    that is inside the work tree, else to the top (absolute paths inside it work too)."""
    top = os.path.realpath(repo.top)
    cwd = os.path.realpath(os.getcwd())
    if os.path.isabs(text):
        text = os.path.relpath(os.path.realpath(text), top)
    elif cwd.startswith(top + os.sep):
        text = os.path.relpath(os.path.join(cwd, text), top)
    path = os.path.normpath(text).replace(os.sep, "/")
    return "" if path == "." else path


def select_paths(view: View, texts: list[str]) -> list[str]:
    """The task files PATH arguments name (a file, or the task files under a folder)."""
    known = view.paths()
    out: list[str] = []
    for text in texts:
        path = repo_path(view.repo, text)
        hits = [p for p in known if p == path or not path or p.startswith(path + "/")]
        if not hits:
            raise NotFound(f"{text}: not a task file (nor a folder holding one)")
        out += [p for p in hits if p not in out]
    return out


def same_label(label: str, wanted: str) -> bool:
    """``1.3`` names ``1.3``, ``1.3.``; ``6`` names Kiro's ``6.``; ``t005`` names ``T005:``."""
    return bool(label) and label.rstrip(".:)").lower() == wanted.rstrip(".:)").lower()


def find(view: View, text: str) -> WorkTask:
    """The one task of the working tree ``text`` names."""
    text = text.strip()
    if not text:
        raise NotFound("an empty selector names no task")
    if "#" in text:
        found = _by_label(view, text)
        if found is not None:
            return found
    return _by_id(view, text)


def _by_label(view: View, text: str) -> WorkTask | None:
    raw_path, label = text.rsplit("#", 1)
    path = repo_path(view.repo, raw_path)
    if path not in view.paths():
        if view.repo.is_task_file(path) or raw_path.endswith(".md"):
            raise NotFound(f"{raw_path}: no such task file in the working tree")
        return None
    wf = view.file(path)
    hits = [t for t in wf.tasks if same_label(t.label, label)]
    if not hits:
        raise NotFound(f"{path}: no task labelled {label!r}" + (" (the file is not in the working tree)" if wf.data is None else ""))
    if len(hits) > 1:
        raise Ambiguous(f"{path}#{label} names {len(hits)} tasks: "
                        + "; ".join(f"{t.id} (line {t.line}) {t.title[:40]}" for t in hits), [t.id for t in hits])
    return hits[0]


def _by_id(view: View, text: str) -> WorkTask:
    conn = view.conn
    row = conn.execute("SELECT path FROM tasks WHERE id = ?", (text,)).fetchone()
    if row is not None:  # the common case: an exact id of HEAD; only its file is read
        hit = next((t for t in view.file(row[0]).tasks if t.id == text), None)
        if hit is not None:
            return hit
    tasks = {t.id: t for wf in view.files() for t in wf.tasks}
    if text in tasks:
        return tasks[text]
    hits = sorted(i for i in tasks if i.startswith(text))
    if len(hits) == 1:
        return tasks[hits[0]]
    if len(hits) > 1:
        shown = "; ".join(f"{i} {tasks[i].title[:40]}" for i in hits[:10])
        raise Ambiguous(f"{text!r} is a prefix of {len(hits)} task ids: {shown}" + (" ..." if len(hits) > 10 else ""), hits)
    alias = resolve_alias(conn, text)
    if alias is not None and alias in tasks:
        print(f"zyflow-git: {text} is an old id of {alias}", file=sys.stderr)
        return tasks[alias]
    gone = conn.execute("SELECT task_id, path, title FROM state WHERE task_id LIKE ? ESCAPE '\\' LIMIT 2",
                        (like_prefix(alias or text),)).fetchall()
    if len(gone) == 1:
        raise NotFound(f"{gone[0][0]} ({gone[0][2]}) is not in this working tree (last seen in {gone[0][1] or 'another branch'})")
    labelled = [t for t in tasks.values() if same_label(t.label, text)]
    hint = f" (did you mean {' or '.join(f'{t.path}#{t.label}' for t in labelled[:3])}?)" if labelled else ""
    raise NotFound(f"{text!r}: no task by that id, id prefix or PATH#LABEL{hint}")
