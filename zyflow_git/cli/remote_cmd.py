"""``zyflow-git push`` and ``pull``: the runtime log through a git remote."""

from __future__ import annotations

import click

from ..taskview import session
from ..console import echo, echo_json


def _report(done: dict, as_json: bool, verb: str) -> int:
    if as_json:
        echo_json(done)
    else:
        sent = f", sent {done['sent']}" if "sent" in done else ""
        echo(f"{verb} {done['remote']}: received {done['received']} runtime event commit(s){sent}")
    return 0


@click.command()
@click.argument("remote", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print what was exchanged as JSON.")
def pull(remote: str | None, as_json: bool) -> int:
    """Fetch REMOTE's runtime log (claims, statuses, notes) and join it into this one
    (default: the branch's remote, else origin). Every event of both is kept."""
    from ..remotes import pull as act

    with session() as (repo, conn):
        return _report(act(repo, conn, remote), as_json, "pulled from")


@click.command()
@click.argument("remote", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print what was exchanged as JSON.")
def push(remote: str | None, as_json: bool) -> int:
    """Join REMOTE's runtime log into this one, then push it there (compare-and-swap on
    refs/zyflow/runtime: retried when someone pushed first)."""
    from ..remotes import push as act

    with session() as (repo, conn):
        return _report(act(repo, conn, remote), as_json, "pushed to")
