"""``zyflow-git install`` and ``zyflow-git uninstall``."""

from __future__ import annotations

import click

from ..config import PRESETS
from ..install import install_driver, install_hooks, uninstall_driver, uninstall_hooks
from ..console import echo, echo_json


def describe_store(repo) -> str:  # type: ignore[no-untyped-def]
    """What the store holds now: 'N tasks in M files'."""
    from ..store import open_store

    conn = open_store(repo.db_path)
    try:
        tasks = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
    finally:
        conn.close()
    return f"{tasks} tasks in {files} task file{'s' * (files != 1)}"


@click.command()
@click.option("--no-hooks", is_flag=True, help="Only the merge driver; no hooks, no state store.")
@click.option("--preset", "presets", multiple=True, type=click.Choice(sorted(PRESETS)),
              help="The task-file layout of a tool (repeatable); default: detect them.")
@click.option("--share", metavar="REMOTE", is_flag=False, flag_value="", default=None,
              help="Make plain git fetch/push carry the runtime log with REMOTE (default: the branch's remote); says what it adds.")
@click.option("--mcp", "mcp", is_flag=True, help="Also print how to register `zyflow-git mcp` with Claude Code, Codex and Cursor.")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON ({\"done\": [...]}).")
def install(no_hooks: bool, presets: tuple[str, ...], share: str | None, mcp: bool, as_json: bool) -> int:
    """Register the merge driver and the hooks in this repository, then sync once (idempotent)."""
    said: list[str] = []
    out = said.append if as_json else echo
    install_driver(out=out, presets=presets or None)
    if not no_hooks:
        install_hooks(out=out)
        from ..reconcile import Repo, sync

        repo = Repo()
        report = sync(repo)
        out(f"state store: {describe_store(repo)}" + (f" ({report.added} new)" if report.added else ""))
    if share is not None:
        from ..install import share as share_log

        share_log(share or None, out=out)
    if mcp:
        from ..gitcli import toplevel
        from ..install import executable, mcp_snippets

        snippets = mcp_snippets(executable(), str(toplevel()))
        if as_json:
            echo_json({"done": said, "mcp": snippets})
            return 0
        echo(snippets.rstrip("\n"))
    if as_json:
        echo_json({"done": said})
    return 0


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON ({\"done\": [...]}).")
def uninstall(as_json: bool) -> int:
    """Remove exactly what `install` added (the state database stays; delete it at will)."""
    said: list[str] = []
    out = said.append if as_json else echo
    uninstall_hooks(out=out)
    uninstall_driver(out=out)
    if as_json:
        echo_json({"done": said})
    return 0
