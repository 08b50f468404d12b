"""``check``, ``uncheck``, ``add``, ``edit``, ``claim``, ``release``: the verbs, on the command line.

Each is a thin face over ``actions`` (the one implementation the MCP server and the board call
too): resolve, check the expected version, write, print the task as it now is.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import click

from ..console import echo, echo_json
from ..taskview import session

EXPECT = click.option("--expect", metavar="VERSION",
                      help="Refuse (exit 4) unless the task's version is still VERSION.")
COMMIT = click.option("--commit", is_flag=True, help="Commit the file's change alone, with a Zyflow-Task trailer.")
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print the task as it now is, as JSON.")


def task_line(t: Any) -> str:
    """One line for a task: id, box, label and title, status and holder, version."""
    box = "[x]" if t.done else "[ ]"
    label = f"{t.label} " if t.label else ""
    who = f" @{t.assignee}" if t.assignee else ""
    return f"{t.id} {box} {label}{t.title}   {t.status}{who}  v {t.version}"


def report(outcome: Any, as_json: bool) -> int:
    for line in outcome.said:
        echo(f"zyflow-git: {line}", err=True)
    if as_json:
        echo_json(outcome.as_dict())
    else:
        echo(task_line(outcome.task))
    return 0


def _run(verb: Callable[..., Any], *args: Any, as_json: bool, **kwargs: Any) -> int:
    with session() as (repo, conn):
        return report(verb(repo, conn, *args, **kwargs), as_json)


@click.command()
@click.argument("selector")
@EXPECT
@COMMIT
@AS_JSON
def check(selector: str, expect: str | None, commit: bool, as_json: bool) -> int:
    """Check the box of task SELECTOR in the working-tree file (only that byte changes).

    SELECTOR is a task id, a unique id prefix, or PATH#LABEL (tasks.md#1.3)."""
    from ..actions import check as act

    return _run(act, selector, True, expect=expect, commit=commit, as_json=as_json)


@click.command()
@click.argument("selector")
@EXPECT
@COMMIT
@AS_JSON
def uncheck(selector: str, expect: str | None, commit: bool, as_json: bool) -> int:
    """Clear the box of task SELECTOR in the working-tree file."""
    from ..actions import check as act

    return _run(act, selector, False, expect=expect, commit=commit, as_json=as_json)


@click.command()
@click.argument("title")
@click.option("--after", metavar="SEL", help="Right after this task (and its subtasks), as its sibling.")
@click.option("--under", metavar="SEL", help="As the last subtask of this task.")
@click.option("--in", "into", metavar="PATH[#HEADING]", help="At the end of this file, or of its section with this heading.")
@COMMIT
@AS_JSON
def add(title: str, after: str | None, under: str | None, into: str | None, commit: bool, as_json: bool) -> int:
    """Add an open task titled TITLE where asked, labelled as the file numbers (1.4, T012,
    2.1, or none); prints its id."""
    from ..actions import add as act

    return _run(act, title, after=after, under=under, into=into, commit=commit, as_json=as_json)


@click.command()
@click.argument("selector")
@click.option("--title", required=True, help="The new words (label, checkbox, tags and details are kept).")
@EXPECT
@COMMIT
@AS_JSON
def edit(selector: str, title: str, expect: str | None, commit: bool, as_json: bool) -> int:
    """Reword task SELECTOR in the working-tree file."""
    from ..actions import edit as act

    return _run(act, selector, title, expect=expect, commit=commit, as_json=as_json)


def default_name() -> str | None:
    """Who ``--as`` means when left out: $ZYFLOW_GIT_AS, else git's user.name."""
    if os.environ.get("ZYFLOW_GIT_AS"):
        return os.environ["ZYFLOW_GIT_AS"]
    from ..gitcli import config_get

    return config_get("user.name")


@click.command()
@click.argument("selector")
@click.option("--as", "name", metavar="NAME", help="Who takes it (default: $ZYFLOW_GIT_AS, else git's user.name).")
@click.option("--remote", metavar="REMOTE", is_flag=False, flag_value="", default=None,
              help="Hold it across machines: fetch, check and push the claim to REMOTE (default: the branch's remote).")
@EXPECT
@AS_JSON
def claim(selector: str, name: str | None, remote: str | None, expect: str | None, as_json: bool) -> int:
    """Take task SELECTOR: in_progress, assignee NAME. Exit 4 when someone else holds it
    (or it is done); every worktree sees the claim at once, and with --remote every machine
    that pulls (the claim counts only once the remote took it)."""
    from ..actions import claim as act
    from ..errors import BadInput

    name = name or default_name()
    if not name:
        raise BadInput("say who claims it: --as NAME (or set ZYFLOW_GIT_AS or git's user.name)")
    if remote is not None:
        from ..remotes import claim as act_remote

        return _run(act_remote, selector, name, remote=remote or None, expect=expect, as_json=as_json)
    return _run(act, selector, name, expect=expect, as_json=as_json)


@click.command()
@click.argument("selector")
@click.option("--as", "name", metavar="NAME", help="Only if NAME holds it (exit 4 otherwise).")
@EXPECT
@AS_JSON
def release(selector: str, name: str | None, expect: str | None, as_json: bool) -> int:
    """Give task SELECTOR back: status todo, no assignee."""
    from ..actions import release as act

    return _run(act, selector, name, expect=expect, as_json=as_json)
