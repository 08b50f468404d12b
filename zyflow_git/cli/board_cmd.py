"""``zyflow-git board``: the local web page (Starlette and uvicorn are imported only here)."""

from __future__ import annotations

import click

from ..console import echo


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="Port on 127.0.0.1 (0: a free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--as", "name", metavar="NAME", help="Who the page's claims are by (default: $ZYFLOW_GIT_AS, else git's user.name).")
def board(port: int, open_browser: bool, name: str | None) -> int:
    """Serve a board of this repository's tasks on 127.0.0.1: columns by status, claims,
    checks and history, updated live. The printed URL carries a token every request needs."""
    from ..board.app import serve
    from ..reconcile import Repo
    from .act_cmd import default_name

    repo = Repo()
    serve(repo.top, port, open_browser, name or default_name(), say=lambda line: echo(line))
    return 0
