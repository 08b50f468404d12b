"""``zyflow-git doctor [--json]``."""

from __future__ import annotations

import json

import click

from ..doctor import report
from ..errors import EXIT_CONFLICTS


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def doctor(as_json: bool) -> int:
    """Check the merge driver, the attributes and the hooks; exit 1 when something is wrong."""
    result = report()
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        d = result["driver"]
        click.echo(f"repository: {result['repository']}")
        click.echo(f"merge driver: {'configured' if d['configured'] else 'not configured'}"
                   + (f" ({d['executable']})" if d["executable"] else ""))
        click.echo(f"merge=zyflow attribute: {'present' if d['attribute'] else 'absent'}")
        for problem in result["problems"]:
            click.echo(f"problem: {problem}")
        if not result["problems"]:
            click.echo("ok")
    return EXIT_CONFLICTS if result["problems"] else 0
