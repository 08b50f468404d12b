"""``zyflow-git mcp``: the MCP server on stdio (the SDK is imported only here)."""

from __future__ import annotations

import click


@click.command()
@click.option("--repo", "repo_path", type=click.Path(exists=True, file_okay=False), help="Serve this repository (default: the current one).")
def mcp(repo_path: str | None) -> int:
    """Serve this repository's tasks to AI agents over MCP (stdio): list, ready, show, claim,
    check, add, edit, history, replay; `install --mcp` prints how to register it."""
    from ..errors import BadInput

    try:
        from ..mcpserver import serve
    except ImportError as err:  # an install without the SDK
        raise BadInput(f"the MCP SDK is not installed ({err.name}): pip install 'mcp>=2.3,<3'") from None
    serve(repo_path)
    return 0
