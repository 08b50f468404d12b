"""``zyflow-git demo``."""

from __future__ import annotations

import click

from ..demo import run_demo


@click.command()
@click.option("--keep", is_flag=True, help="Keep the demo repository and print its path.")
def demo(keep: bool) -> int:
    """Build a throwaway repository and show zyflow-git at work on it."""
    run_demo(click.echo, keep=keep)
    return 0
