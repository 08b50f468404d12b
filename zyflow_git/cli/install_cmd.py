"""``zyflow-git install`` and ``zyflow-git uninstall``."""

from __future__ import annotations

import click

from ..install import install_driver, uninstall_driver


@click.command()
def install() -> int:
    """Register the merge driver for the task files of this repository (idempotent)."""
    install_driver(out=click.echo)
    return 0


@click.command()
def uninstall() -> int:
    """Remove exactly what `install` added."""
    uninstall_driver(out=click.echo)
    return 0
