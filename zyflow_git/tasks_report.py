"""How ``tasks`` prints, without click: the plain ``tasks`` and ``tasks --json`` that scripts
and agents run most start here straight from the entry point (click costs ~40 ms to import)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from .console import echo_json, printable, render, show, use_color, width


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
    plain = cols is None and not use_color()  # piped: one escaping pass a line, no styling
    if plain:
        lines = [printable("".join([text for text, _ in _row(r)])) for r in rows]
    else:
        lines = [render([(printable(text), style) for text, style in _row(r)], shrink=6, width=cols) for r in rows]
    show(lines)


def _row(r: dict[str, Any]) -> list[tuple[str, str | None]]:
    """One task's line as (text, style) parts; the title (part 6) is what a narrow terminal cuts."""
    mark = {"added": " +", "changed": " ~", "removed": " -"}.get(r.get("uncommitted") or "", "")
    label = f"{r['label']} " if r["label"] else ""
    status = r["status"] or ""
    return [(f"{r['id'] or '-':<12}", "id"), (" ", None), (f"{status:<11}", status), (" ", None),
            ("[x]" if r["done"] else "[ ]", "done" if r["done"] else None), (" ", None), (f"{label}{r['title']}", None),
            (f" @{r['assignee']}" if r.get("assignee") else "", "in_progress"), (mark, None),
            (f"   {r['path']}:{r['line']}", "dim")]


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
