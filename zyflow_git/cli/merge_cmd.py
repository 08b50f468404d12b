"""``zyflow-git merge-driver`` (help only; the entry dispatches it without click) and ``merge-file``."""

from __future__ import annotations

import sys

import click

from ..core.conflicts import Markers
from ..errors import EXIT_CONFLICTS
from ..fsio import read_bytes, write_output
from ..mergedriver import driver_main, merge_three
from ..console import echo


@click.command(name="merge-driver", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def merge_driver(args: tuple[str, ...]) -> int:
    """git's merge driver: BASE OURS THEIRS [MARKER_SIZE] [PATH] (%O %A %B %L %P).

    Writes the merge into OURS; exits 0 when clean, 1 when conflicts remain.
    """
    return driver_main(list(args))


@click.command(name="merge-file")
@click.argument("base", type=str)
@click.argument("ours", type=str)
@click.argument("theirs", type=str)
@click.option("-o", "--output", type=str, help="Write the result here (default: standard output).")
@click.option("--diff3", is_flag=True, help="Show the base version inside conflicts.")
@click.option("--marker-size", type=click.IntRange(1, 99), default=7, show_default=True)
@click.option("-L", "labels", multiple=True, help="Conflict labels for ours, base, theirs (up to three).")
def merge_file(base: str, ours: str, theirs: str, output: str | None, diff3: bool, marker_size: int, labels: tuple[str, ...]) -> int:
    """Merge BASE OURS THEIRS by task; exit 1 when conflicts remain."""
    names = list(labels) + ["ours", "base", "theirs"][len(labels):]
    markers = Markers(marker_size, "diff3" if diff3 else "merge", names[0], names[1], names[2])
    outcome = merge_three(read_bytes(base), read_bytes(ours), read_bytes(theirs), path=ours, markers=markers)
    for line in outcome.messages(ours):
        echo(line, err=True)
    if output:
        write_output(output, outcome.data)
    else:
        sys.stdout.buffer.write(outcome.data)
        sys.stdout.flush()
    return EXIT_CONFLICTS if outcome.conflicts else 0
