"""``zyflow-git resolve FILE``."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.conflicts import Markers
from ..errors import EXIT_CONFLICTS
from ..gitcli import conflict_style
from ..resolve import resolve_file
from ..console import echo, echo_json


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--marker-size", type=click.IntRange(1, 99), default=7, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON (file, regions, left, source, kept).")
def resolve(file: Path, marker_size: int, as_json: bool) -> int:
    """Re-merge FILE's conflict markers by task, leaving markers only on true conflicts."""
    try:
        style = conflict_style(file.parent if file.parent.exists() else None)
    except Exception:  # noqa: BLE001 - outside a repository: default style
        style = "merge"
    result = resolve_file(file, Markers(marker_size, style))
    if as_json:
        echo_json({"file": str(file), "regions": result.before, "left": result.after, "source": result.source,
                   "kept": result.kept})
        return EXIT_CONFLICTS if result.after else 0
    if result.before == 0:
        echo(f"{file}: no conflict markers")
        return 0
    echo(f"{file}: {result.before} conflict region(s) re-merged from the {result.source}; {result.after} left")
    if result.kept:
        echo(f"{file}: {result.kept} region(s) kept as they were: two-way markers and no base in git's index "
                   "(merge with merge.conflictStyle=diff3, or resolve while git still holds the conflict)", err=True)
    return EXIT_CONFLICTS if result.after else 0
