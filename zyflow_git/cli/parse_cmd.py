"""``zyflow-git parse FILE [--json]``."""

from __future__ import annotations

import click

from ..core.parse import parse_bytes
from ..fsio import read_bytes
from ..tasklist import task_records
from ..console import echo, echo_json


@click.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--reference", is_flag=True, help="Parse with markdown-it only (no fast path).")
def parse(file: str, as_json: bool, reference: bool) -> int:
    """Print the tasks of FILE: label, title, done, depth, section path and line."""
    doc = parse_bytes(read_bytes(file), reference=reference)
    records = task_records(doc, file)
    if as_json:
        echo_json(records)
        return 0
    for r in records:
        box = "[x]" if r["done"] else "[ ]"
        section = " > ".join(r["section"])
        label = f"{r['label']} " if r["label"] else ""
        echo(f"{r['line']:>5}  {'  ' * r['depth']}{box} {label}{r['title']}" + (f"   ({section})" if section else ""))
    done = sum(r["done"] for r in records)
    echo(f"{len(records)} tasks, {done} done" + ("  [parsed by markdown-it]" if doc.reference else ""))
    return 0
