"""``zyflow-git sync`` and ``zyflow-git hook NAME`` (what the hook shims call)."""

from __future__ import annotations

import click

from ..reconcile import Repo, sync as sync_store
from ..console import echo, echo_json


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print what changed as JSON.")
def sync(as_json: bool) -> int:
    """Reconcile the state store with the checked-out commit now."""
    report = sync_store(Repo())
    if as_json:
        echo_json(report.as_dict(), indent=None)
    else:
        echo(f"synced {report.head or '(no commit)'}: {report.files_changed} file(s) changed, "
                   f"{report.added} task(s) added, {report.removed} gone, {report.kept} kept")
    return 0


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("name")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def hook(name: str, args: tuple[str, ...]) -> int:
    """Run the hook NAME (called by the installed shims). Always exits 0: a hook never stops git;
    errors go to <git dir>/zyflow/error.log."""
    from ..hookrun import run_hook

    return run_hook(name, list(args))
