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

    if config_get("merge.zyflow.driver", repo.root) is None:
        say("zyflow-git: not installed here: `zyflow-git install` merges task files by task and keeps "
            "the store in step")


def print_tasks(rows: list[dict[str, Any]], as_json: bool) -> None:
    """The rows as JSON, or as a table (coloured, fitted and paged on a terminal)."""
    if as_json:
        echo_json(rows)
        return
    show(table_lines(rows))


def table_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The table's lines: one a task, coloured and fitted on a terminal, plain when piped."""
    cols = width()
    if cols is None and not use_color():  # piped: one escaping pass a line, no styling
        return [printable("".join([text for text, _ in _row(r)])) for r in rows]
    return [render([(printable(text), style) for text, style in _row(r)], shrink=6, width=cols) for r in rows]


def _table_variant() -> str:
    """What a kept table depends on besides the rows: the width, colour, and the code that
    renders it (this module and console.py, by size and time: an upgrade is a new variant)."""
    import os

    from . import console

    code = ":".join(f"{st.st_size}.{st.st_mtime_ns}" for st in map(os.stat, (__file__, console.__file__)))
    return f"{width()}:{use_color()}:{code}"


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
    from .taskview import head_table, head_tasks
    from .boundary import guarded

    def work() -> int:
        repo = Repo()
        if as_json:
            rows = head_tasks(repo, full=True)
            hint_if_not_installed(repo)
            print_tasks(rows, as_json)
            return 0
        # The table is the store's kept answer while no task or state row changed (4,314 tasks:
        # the query and the formatting were two thirds of the command).
        table = head_table(repo, lambda rows: "\n".join(table_lines(rows)), _table_variant())
        hint_if_not_installed(repo)
        show(table.split("\n") if table else [])
        return 0

    return guarded(work)
