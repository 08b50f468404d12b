"""``zyflow-git install`` and ``zyflow-git uninstall``."""

from __future__ import annotations

import click

from ..config import PRESETS
from ..install import install_driver, install_hooks, uninstall_driver, uninstall_hooks
from .output import echo


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
def install(no_hooks: bool, presets: tuple[str, ...]) -> int:
    """Register the merge driver and the hooks in this repository, then sync once (idempotent)."""
    install_driver(out=echo, presets=presets or None)
    if not no_hooks:
        install_hooks(out=echo)
        from ..reconcile import Repo, sync

        repo = Repo()
        report = sync(repo)
        echo(f"state store: {describe_store(repo)}" + (f" ({report.added} new)" if report.added else ""))
    return 0


@click.command()
def uninstall() -> int:
    """Remove exactly what `install` added (the state database stays; delete it at will)."""
    uninstall_hooks(out=echo)
    uninstall_driver(out=echo)
    return 0
