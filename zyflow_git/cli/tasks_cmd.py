"""``zyflow-git tasks`` and ``zyflow-git set``."""

from __future__ import annotations

import click

from ..reconcile import Repo
from ..store import STATUSES
from ..taskview import head_tasks, worktree_tasks
from ..console import echo_json, show
from ..tasks_report import hint_if_not_installed, print_tasks


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of task objects.")
@click.option("--status", type=click.Choice(STATUSES), help="Only tasks with this runtime status.")
@click.option("--assignee", help="Only tasks held by this name.")
@click.option("--worktree", is_flag=True, help="Show uncommitted edits of the task files, marked as such.")
@click.option("--branches", metavar="PATTERN", is_flag=False, flag_value="*", default=None,
              help="Beside every local and remote-tracking branch matching PATTERN (a glob; default all): where they differ.")
def tasks(paths: tuple[str, ...], as_json: bool, status: str | None, assignee: str | None, worktree: bool,
          branches: str | None) -> int:
    """The tasks at HEAD (of PATHS: task files or folders) with their runtime state and
    versions (synced first if the store is stale)."""
    if branches is not None:
        return _branches(branches, as_json)
    repo = Repo()
    rows = worktree_tasks(repo, list(paths)) if worktree else head_tasks(repo, list(paths), full=as_json)
    hint_if_not_installed(repo)
    if status:
        rows = [r for r in rows if r["status"] == status]
    if assignee:
        rows = [r for r in rows if r["assignee"] == assignee]
    print_tasks(rows, as_json)
    return 0


@click.command(name="set")
@click.argument("selector")
@click.option("--status", type=click.Choice(STATUSES), help="The status to set (done checks the box in the file).")
@click.option("--assignee", type=str, help="Who works on it ('' clears).")
@click.option("--note", type=str, help="A free-text note ('' clears).")
@click.option("--expect", metavar="VERSION", help="Refuse (exit 4) unless the task's version is still VERSION.")
@click.option("--json", "as_json", is_flag=True, help="Print the task as it now is, as JSON.")
def set_(selector: str, status: str | None, assignee: str | None, note: str | None, expect: str | None,
         as_json: bool) -> int:
    """Set task SELECTOR's status, assignee or note (an id, a unique prefix, an old id, or PATH#LABEL).

    Runtime state is recorded in git (refs/zyflow/runtime), shared by every worktree. The
    checkbox is the file's: `--status done` checks it in the working-tree file, another status
    on a checked task unchecks it; commit the file to share that."""
    from ..actions import set_task
    from ..taskview import session
    from .act_cmd import report

    with session() as (repo, conn):
        return report(set_task(repo, conn, selector, status=status, assignee=assignee, note=note, expect=expect), as_json)


def _branches(pattern: str, as_json: bool) -> int:
    """``tasks --branches``: the task files beside other branches, where they differ."""
    from ..branches import compare
    from ..taskview import session

    with session() as (repo, conn):
        found = compare(repo, conn, None if pattern == "*" else pattern)
    if as_json:
        echo_json(found)
        return 0
    lines = [f"{found['current']} beside {len(found['branches'])} branch(es): {', '.join(found['branches'][:8])}"
             + (" ..." if len(found["branches"]) > 8 else "")]
    for f in found["files"]:
        differing = [t for t in f["tasks"] if t["on"]]
        if not differing and not f["only_on"]:
            continue
        lines.append(f["path"])
        for t in differing:
            label = f"{t['label']} " if t["label"] else ""
            where = "; ".join(f"{d['change']} on {b}" + (f" ({d['title']})" if d.get("title") else "")
                              for b, d in t["on"].items())
            lines.append(f"  {'[x]' if t['done'] else '[ ]'} {label}{t['title']}: {where}")
        for o in f["only_on"]:
            label = f"{o['label']} " if o["label"] else ""
            lines.append(f"  + {'[x]' if o['done'] else '[ ]'} {label}{o['title']}: added on {o['branch']}")
    if len(lines) == 1:
        lines.append("no differences in the task files")
    show(lines)
    return 0
