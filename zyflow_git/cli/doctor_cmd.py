"""``zyflow-git doctor [--repair] [--json]``."""

from __future__ import annotations

import click

from ..doctor import report
from ..errors import EXIT_CONFLICTS
from ..console import echo, echo_json


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (keys: db, hooks, driver, fresh, ...).")
@click.option("--repair", is_flag=True, help="Rebuild the state store from git.")
def doctor(as_json: bool, repair: bool) -> int:
    """Check the merge driver, the hooks and the state store; exit 1 when something is wrong."""
    result = report(repair=repair)
    if as_json:
        echo_json(result)
    else:
        d = result["driver"]
        echo(f"repository: {result['repository']}")
        echo(f"state store: {result['db']} ({result['tasks']} tasks, "
                   f"{'rebuilt' if result['repaired'] else 'fresh' if result['fresh'] else 'was stale'})")
        echo(f"merge driver: {'configured' if d['configured'] else 'not configured'}"
                   + (f" ({d['executable']})" if d["executable"] else ""))
        echo(f"merge=zyflow attribute: {'present' if d['attribute'] else 'absent'}")
        for name, h in result["hooks"].items():
            echo(f"hook {name}: {'ok' if h['ok'] else 'not run by git'} ({h['path']})")
        if result["hook_manager"]:
            echo(f"hook manager: {result['hook_manager']}")
        for problem in result["problems"]:
            echo(f"problem: {problem}")
        if not result["problems"]:
            echo("ok")
    return EXIT_CONFLICTS if result["problems"] else 0
