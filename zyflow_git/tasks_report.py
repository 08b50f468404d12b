"""How ``tasks`` prints, without click: the plain ``tasks`` and ``tasks --json`` that scripts
and agents run most start here straight from the entry point (click costs ~40 ms to import)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from .console import echo_json, part, printable, render, show, use_color, width


def hint_if_not_installed(repo: Any) -> None:
    """Said once the answer is sure: the store works without install, merges and hooks do not."""
    from .gitcli import config_get
    from .boundary import say

    if config_get("merge.zyflow.driver", repo.top) is None:
        say("zyflow-git: not installed here: `zyflow-git install` merges task files by task and keeps "
            "the store in step")


def print_tasks(rows: list[dict[str, Any]], as_json: bool) -> None:
    """The rows as JSON, or as a table (coloured, fitted and paged on a terminal)."""
    if as_json:
        echo_json(rows)
        return
    cols = width()
    if cols is None and not use_color():  # piped: plain lines, one escaping pass each
        lines = []
        for r in rows:
            mark = {"added": " +", "changed": " ~", "removed": " -"}.get(r.get("uncommitted") or "", "")
            label = f"{r['label']} " if r["label"] else ""
            who = f" @{r['assignee']}" if r.get("assignee") else ""
            lines.append(printable(f"{r['id'] or '-':<12} {r['status'] or '':<11} {'[x]' if r['done'] else '[ ]'} "
                                   f"{label}{r['title']}{who}{mark}   {r['path']}:{r['line']}"))
        show(lines)
        return
    lines = []
    for r in rows:
        box = "[x]" if r["done"] else "[ ]"
        mark = {"added": " +", "changed": " ~", "removed": " -"}.get(r.get("uncommitted") or "", "")
        label = f"{r['label']} " if r["label"] else ""
        status = r["status"] or ""
        lines.append(render([part(f"{r['id'] or '-':<12}", "id"), part(" "), part(f"{status:<11}", status), part(" "),
                             part(box, "done" if r["done"] else None), part(" "), part(f"{label}{r['title']}"),
                             part(f" @{r['assignee']}" if r.get("assignee") else "", "in_progress"), part(mark),
                             part(f"   {r['path']}:{r['line']}", "dim")], shrink=6, width=cols))
    show(lines)


def plain_tasks(as_json: bool) -> int:
    """``zyflow-git tasks [--json]`` with no other option, from the entry point."""
    from .reconcile import Repo
    from .taskview import head_tasks
    from .boundary import guarded

    def work() -> int:
        repo = Repo()
        rows = head_tasks(repo, full=as_json)
        hint_if_not_installed(repo)
        print_tasks(rows, as_json)
        return 0

    return guarded(work)
