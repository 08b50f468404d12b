"""``zyflow-git log``, ``replay`` and ``blame``: history as the event log."""

from __future__ import annotations

from typing import Any

import click

from ..timeline import blame as blame_rows
from ..timeline import log_entries, open_audit
from ..timeline import replay as replay_rows
from ..console import echo, echo_json, part, render, show, width


def _open() -> tuple[Any, dict[str, str], list[dict[str, Any]]]:
    from ..progress import reporting

    opened = reporting("reading history", open_audit)
    if opened[0].shallow:
        echo("zyflow-git: history is shallow (a --depth clone): events before "
             f"{', '.join(sorted(c[:8] for c in opened[0].shallow))} are not known; `git fetch --unshallow` brings them",
             err=True)
    return opened


@click.command()
@click.argument("target", required=False)
@click.option("--since", help="Only events at or after this time, in git's date syntax (2026-01-31, yesterday, '2 weeks ago').")
@click.option("--until", help="Only events at or before this time (same syntax).")
@click.option("--author", help="Only events by this author (part of name or email).")
@click.option("-n", "--max-count", type=click.IntRange(min=0), help="Only the newest N events.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def log(target: str | None, since: str | None, until: str | None, author: str | None, max_count: int | None,
        as_json: bool) -> int:
    """The timeline of task events, newest first; TARGET is a task id (or prefix) or a path."""
    from ..gitcli import approxidate

    after = approxidate(since) if since else None
    before = approxidate(until) if until else None
    audit, translate, _ = _open()
    entries = log_entries(audit, translate, target, after, author, before)[:max_count]
    if as_json:
        echo_json(entries)
        return 0
    cols = width()
    lines = []
    for e in entries:
        detail = ""
        if e["event"] == "edited":
            detail = f"  (was: {e['old_title']})"
        elif e["event"] == "moved":
            detail = f"  ({' > '.join(e['old_section'] or [])} -> {' > '.join(e['section'] or [])})"
        elif e["event"] == "relabelled":
            detail = f"  ({e['old_label']} -> {e['label']})"
        elif "value" in e:  # a runtime event: status, assigned, noted
            detail = f"  ({e['old_value'] or '-'} -> {e['value'] or '-'})"
        label = f"{e['label']} " if e.get("label") else ""
        lines.append(render([part(f"{e['date'][:10]} "), part(e["commit"][:8], "dim"), part(" "),
                             part(f"{e['event']:<10}", e["event"]), part(" "), part(f"{e['id']:<12}", "id"), part(" "),
                             part(f"{label}{e['title']}{detail}"),
                             part(f"   {e['path']}  [{e['author']}: {e['subject']}]", "dim")], shrink=7, width=cols))
    show(lines)
    return 0


@click.command()
@click.argument("rev")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (the shape of `tasks --json`, without runtime state).")
def replay(rev: str, as_json: bool) -> int:
    """The tasks as they were at commit or tag REV."""
    audit, translate, _ = _open()
    rows = replay_rows(audit, translate, rev)
    if as_json:
        echo_json(rows)
        return 0
    for r in rows:
        box = "[x]" if r["done"] else "[ ]"
        echo(f"{r['id']:<12} {box} {r['label'] + ' ' if r['label'] else ''}{r['title']}   {r['path']}:{r['line']}")
    return 0


@click.command()
@click.argument("path")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def blame(path: str, as_json: bool) -> int:
    """Per task of PATH: who added it and who last changed its state, with commits."""
    audit, translate, rows = _open()
    result = blame_rows(audit, translate, rows, path)
    if as_json:
        echo_json(result)
        return 0
    for r in result:
        added = r["added"] or {}
        state = r["state"] or {}
        box = "[x]" if r["done"] else "[ ]"
        echo(f"{r['line']:>4} {box} {r['title'][:40]:<40}  added {added.get('commit', '?')[:8]} {added.get('author', '')}"
                   + (f"; {state['event']} {state['commit'][:8]} {state['author']}" if state else ""))
    return 0
