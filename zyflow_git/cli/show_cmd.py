"""``show``, ``ready`` and ``prime``: what there is to do, for people and agents."""

from __future__ import annotations

import click

from ..taskview import session
from .act_cmd import task_line
from ..console import echo_json, printable
from ..console import show as _show


def page(lines: list[str]) -> None:
    _show([printable(line) for line in lines])


@click.command()
@click.argument("selector")
@click.option("--json", "as_json", is_flag=True, help="Print the task as a JSON object.")
def show(selector: str, as_json: bool) -> int:
    """Task SELECTOR whole: its state, version, detail lines and history."""
    from ..queries import show as read
    from ..selectors import View

    with session() as (repo, conn):
        item = read(View(repo, conn), selector)
    if as_json:
        echo_json(item)
        return 0
    box = "[x]" if item["done"] else "[ ]"
    label = f"{item['label']} " if item["label"] else ""
    lines = [f"{item['id']} {box} {label}{item['title']}",
             f"  file      {item['path']}:{item['line']}" + (f"  (uncommitted: {item['uncommitted']})" if item["uncommitted"] else ""),
             f"  section   {' > '.join(item['section']) or '-'}",
             f"  status    {item['status']}" + (f" @{item['assignee']}" if item["assignee"] else ""),
             f"  version   {item['version']}"]
    if item["note"]:
        lines.append(f"  note      {item['note']}")
    if item["details"]:
        lines += ["  details"] + [f"    {d}" for d in item["details"]]
    if item["subtasks"]:
        lines += ["  subtasks"] + [f"    {'[x]' if s['done'] else '[ ]'} {s['label'] + ' ' if s['label'] else ''}{s['title']}  {s['id']}"
                                   for s in item["subtasks"]]
    if item["history"]:
        lines.append("  history")
        for e in item["history"]:
            what = f"{e['event']} ({e.get('old_value') or '-'} -> {e.get('value') or '-'})" if "value" in e else e["event"]
            lines.append(f"    {e['date'][:16].replace('T', ' ')}  {what:<28} {e['author']}  {e['commit'][:8]} {e['subject']}")
    page(lines)
    return 0


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--limit", "-n", type=click.IntRange(min=1), help="At most N tasks.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of task objects.")
def ready(paths: tuple[str, ...], limit: int | None, as_json: bool) -> int:
    """Open tasks nobody holds and nothing blocks, in file order (of PATHS, or all task files).
    A parent with open subtasks is not ready; its first open subtask is."""
    from ..queries import ready as read
    from ..selectors import View

    with session() as (repo, conn):
        found = read(View(repo, conn), list(paths) or None, limit)
        if as_json:
            echo_json([t.as_dict() for t in found])
            return 0
        page([f"{task_line(t)}   {t.path}:{t.line}" for t in found])
    return 0


@click.command()
@click.option("--as", "name", metavar="NAME", help="Also list the tasks NAME holds.")
def prime(name: str | None) -> int:
    """A compact Markdown brief for an agent's context: the task files, the commands, the
    ready tasks and those NAME holds."""
    from ..queries import prime as brief
    from ..selectors import View

    with session() as (repo, conn):
        click.echo(printable(brief(View(repo, conn), name)), nl=False)
    return 0
