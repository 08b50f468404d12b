"""``zyflow-git help [COMMAND]``."""

from __future__ import annotations

import click

from ..console import echo


@click.command(name="help")
@click.argument("command", required=False)
@click.pass_context
def help_(ctx: click.Context, command: str | None) -> int:
    """Show the help of zyflow-git, or of COMMAND."""
    group = ctx.parent.command if ctx.parent else None
    if not isinstance(group, click.Group):
        return 0
    if command is None:
        echo(group.get_help(ctx.parent))  # type: ignore[arg-type]
        return 0
    sub = group.get_command(ctx, command)
    if sub is None:
        raise click.UsageError(f"no such command {command!r}", ctx)
    with click.Context(sub, info_name=command, parent=ctx.parent) as sub_ctx:
        echo(sub.get_help(sub_ctx))
    return 0
