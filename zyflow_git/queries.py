"""What the faces read about tasks: one task whole (``show``), the ready list, the agent brief.

Like ``actions``, one implementation for the CLI, the MCP server and the board; everything is
read from the working tree (``worktree``) with the runtime state the store projects.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .reconcile import Repo
from .selectors import View, find, select_paths
from .worktree import WorkFile, WorkTask

HOLDING = ("in_progress", "blocked", "review")


def list_tasks(view: View, paths: list[str] | None = None, status: str | None = None,
               assignee: str | None = None) -> list[WorkTask]:
    """The working tree's tasks (of ``paths``), filtered by status and assignee."""
    files = view.files(select_paths(view, paths) if paths else None)
    return [t for wf in files for t in wf.tasks
            if (status is None or t.status == status) and (assignee is None or t.assignee == assignee)]


def show(view: View, selector: str, history: bool = True) -> dict[str, Any]:
    """One task: its fields, version, detail lines, the tasks under it, and its history (file
    events read from git and runtime events, newest first)."""
    task = find(view, selector)
    out = task.as_dict()
    details: list[str] = []
    if task.file.data is not None:
        unit = task.file.unit(task)
        from .core.edits import wrapped

        details = [line.rstrip("\r\n") for line in unit.body[wrapped(unit):]]
    out["details"] = details
    out["subtasks"] = [{"id": t.id, "label": t.label, "title": t.title, "done": t.done}
                       for t in task.file.tasks if t.parent == task.id]
    out["history"] = task_history(view.repo, view.conn, task.id) if history and not task.provisional else []
    return out


def _audit(repo: Repo, conn: sqlite3.Connection) -> tuple[Any, dict[str, str]]:
    from .audit import Audit
    from .store import task_rows

    from .progress import reporting

    audit = Audit(repo, conn)
    reporting("reading history", lambda bar: audit.backfill(progress=bar))
    return audit, audit.translation(task_rows(conn))


def task_history(repo: Repo, conn: sqlite3.Connection, target: str) -> list[dict[str, Any]]:
    """The log of a task (any selector) or a path: file events and runtime events, newest first."""
    from .timeline import log_entries

    return log_entries(*_audit(repo, conn), target)


def replay(repo: Repo, conn: sqlite3.Connection, rev: str) -> list[dict[str, Any]]:
    """The tasks as they were at commit or tag ``rev``."""
    from .timeline import replay as tasks_at

    return tasks_at(*_audit(repo, conn), rev)


def ready(view: View, paths: list[str] | None = None, limit: int | None = None) -> list[WorkTask]:
    """Open tasks nobody holds and nothing blocks, in file order. A parent with open subtasks
    is not ready, its first open subtask is (subtasks are steps, taken in order); nothing
    under a task someone holds, or that is blocked, is ready."""
    out: list[WorkTask] = []
    for wf in view.files(select_paths(view, paths) if paths else None):
        out += _ready_in(wf)
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def _ready_in(wf: WorkFile) -> list[WorkTask]:
    by_id = {t.id: t for t in wf.tasks}
    children: dict[str, list[WorkTask]] = {}
    for t in wf.tasks:
        if t.parent is not None:
            children.setdefault(t.parent, []).append(t)

    def free(t: WorkTask) -> bool:
        return not t.done and t.holder is None and t.runtime_status not in HOLDING

    out = []
    for t in wf.tasks:
        if not free(t) or any(not c.done for c in children.get(t.id, [])):
            continue
        ok, node = True, t
        while node.parent is not None and node.parent in by_id:
            parent = by_id[node.parent]
            first_open = next((c for c in children[parent.id] if not c.done), None)
            if first_open is not node or parent.done or parent.holder is not None or parent.runtime_status in HOLDING:
                ok = False
                break
            node = parent
        if ok:
            out.append(t)
    return out


# -- the brief for an agent's context window -------------------------------------------------------

COMMANDS = (
    ("ready --json", "open tasks nobody holds, in file order (take the first)"),
    ("show SEL --json", "one task: details, state, version, history"),
    ("claim SEL --as NAME --expect V", "take it (in_progress, yours); exit 4: someone else has it"),
    ("check SEL --expect V [--commit]", "tick its box in the file when done (uncheck: undo)"),
    ("release SEL --as NAME", "give it back"),
    ("set SEL --status blocked --note TEXT", "status (todo in_progress blocked review done), note"),
    ("add TITLE --after SEL | --under SEL | --in PATH[#HEADING]", "a new task, labelled as the file numbers"),
    ("edit SEL --title TEXT", "reword it, label and details kept"),
    ("log SEL", "its history: who checked, claimed, edited it and when"),
)


def prime(view: View, name: str | None = None, shown: int = 10) -> str:
    """A compact Markdown brief: the task files, the commands, the ready tasks and those held
    by ``name`` (a few hundred tokens on a repository with hundreds of tasks)."""
    files = [wf for wf in view.files() if wf.tasks]
    tasks = [t for wf in files for t in wf.tasks]
    done = sum(1 for t in tasks if t.done)
    held = [t for t in tasks if t.holder is not None]
    fresh = ready(view)
    out = ["# Tasks (zyflow-git)", ""]
    out.append(f"{len(files)} task file{'s' if len(files) != 1 else ''}, {len(tasks)} tasks: {done} done, {len(held)} held, "
               f"{len(fresh)} ready. Git is the truth: the task files are Markdown checklists; "
               "runtime state (claims, status, notes) is shared through git by every worktree.")
    listed = ", ".join(f"`{wf.path}` ({sum(t.done for t in wf.tasks)}/{len(wf.tasks)})" for wf in files[:8])
    out.append(f"Files: {listed}" + (f" and {len(files) - 8} more" if len(files) > 8 else "") + ".")
    out += ["", "## Commands (`zyflow-git ...`)",
            "SEL is a task id, a unique id prefix or `PATH#LABEL`. Writes take `--expect VERSION` (from "
            "`--json`): exit 4 means the task changed or someone holds it; read it again and decide."]
    out += [f"- `{cmd}`: {what}" for cmd, what in COMMANDS]
    if name:
        mine = [t for t in held if t.holder == name]
        out += ["", f"## Held by {name} ({len(mine)})"]
        out += [_line(t) for t in mine[:shown]] or ["- none"]
        out += [f"- ... and {len(mine) - shown} more"] if len(mine) > shown else []
    others = [t for t in held if t.holder != name]
    if others:
        out += ["", f"## Held by others ({len(others)})"] + [_line(t, who=True) for t in others[:5]]
        out += [f"- ... and {len(others) - 5} more (`zyflow-git tasks --status in_progress`)"] if len(others) > 5 else []
    out += ["", f"## Ready ({len(fresh)})"]
    out += [_line(t) for t in fresh[:shown]] or ["- none: every open task is held, blocked or waits for an earlier step"]
    out += [f"- ... and {len(fresh) - shown} more (`zyflow-git ready`)"] if len(fresh) > shown else []
    return "\n".join(out) + "\n"


def _line(t: WorkTask, who: bool = False) -> str:
    sel = f"`{t.path}#{t.label}`" if t.label else f"`{t.path}`"
    extra = f" @{t.holder} {t.runtime_status}" if who else ""
    return f"- `{t.id}` {sel} {t.title[:80]}{extra} (v {t.version})"
