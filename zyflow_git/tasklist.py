"""Flat task records (what ``parse``, ``tasks`` and ``replay`` print) from a parsed document."""

from __future__ import annotations

from typing import Any

from .core.model import Document, Task, section_paths


def display(text: str) -> str:
    """Text safe to print or store: invalid UTF-8 (kept as surrogate escapes by the lossless
    parser) shown as U+FFFD. The file itself is never rewritten from this."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def task_records(doc: Document, path: str = "") -> list[dict[str, Any]]:
    """One dict per task: label, title, done, depth, section path, 1-based line, parent line."""
    records: list[dict[str, Any]] = []
    paths = section_paths(doc.units)
    line = 0
    for unit, section in zip(doc.units, paths):
        line += len(unit.lead)
        if isinstance(unit, Task):
            records.append({
                "path": display(path),
                "label": display(unit.label),
                "title": display(unit.title.strip()),
                "done": unit.done,
                "depth": unit.depth,
                "section": [display(s) for s in section],
                "line": line + 1,
                "parent_line": None if unit.parent is None else unit.parent + 1,
            })
            line += 1 + len(unit.body)
        else:
            line += len(unit.lines)
    return records
