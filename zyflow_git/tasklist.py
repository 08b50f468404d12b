"""Flat task records (what ``parse``, ``tasks`` and ``replay`` print) from a parsed document."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~4 ms to import, and the hooks import this module
if TYPE_CHECKING:
    from typing import Any

    from .core.model import Document, Task

# (The model and identity modules are imported where records are made: `tasks` reads FIELDS
# from here and parses nothing.)

# What every face shows of a task (``tasks --json``, ``show --json``, the MCP tools, the board).
FIELDS = ("id", "path", "label", "title", "done", "status", "assignee", "version", "note", "section",
          "line", "depth", "parent", "updated_at")


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


def full_title(task: Task) -> str:
    """The task's whole first paragraph: its title and the lines that go on with it (a title
    that wraps), up to a blank line or a line that opens something else (a detail bullet)."""
    from .core.model import wrapped

    return _paragraph(task, wrapped(task))


def _paragraph(task: Task, lines: int) -> str:
    """The title and the first ``lines`` detail lines, as one line."""
    if not lines:
        return task.title.strip()
    parts = [task.title.strip()] + [line.strip() for line in task.body[:lines]]
    return " ".join(p for p in parts if p)


def task_records(doc: Document, path: str = "") -> list[dict[str, Any]]:
    """One dict per task: label, title (its whole first paragraph), identity key (of its first
    line, as the merge and the history know it), done, depth, section path, 1-based line,
    parent line."""
    from .core.identity import normalize_title
    from .core.model import Task, wrapped

    records: list[dict[str, Any]] = []
    paths = doc.sections()
    line = 0
    for unit, section in zip(doc.units, paths):
        line += len(unit.lead)
        if isinstance(unit, Task):
            records.append({
                "path": display(path),
                "label": display(unit.label),
                "title": display(_paragraph(unit, wrapped(unit))),
                "key": normalize_title(display(unit.title.strip())),  # storable (no surrogates)
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
