"""``zyflow-git install`` and ``zyflow-git uninstall``."""

from __future__ import annotations

import click

from ..config import PRESETS
from ..install import install_driver, install_hooks, uninstall_driver, uninstall_hooks
from .output import echo


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

        report = sync(Repo())
        echo(f"state store synced: {report.added} tasks added, {report.kept} kept")
    return 0


@click.command()
def uninstall() -> int:
    """Remove exactly what `install` added (the state database stays; delete it at will)."""
    uninstall_hooks(out=echo)
    uninstall_driver(out=echo)
    return 0
