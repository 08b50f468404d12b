"""``.zyflow.toml``: the task-file patterns and options of a repository."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BadInput

CONFIG_NAME = ".zyflow.toml"
DEFAULT_PATTERNS = ("tasks.md", "**/tasks.md")


@dataclass(frozen=True)
class Config:
    patterns: tuple[str, ...] = DEFAULT_PATTERNS
    trailers: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def load(top: Path) -> Config:
    """Read ``.zyflow.toml`` at the work tree's top (defaults when absent)."""
    path = top / CONFIG_NAME
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise BadInput(f"{path}: {err}") from None
    merge = data.get("merge", {})
    patterns = merge.get("patterns", list(DEFAULT_PATTERNS))
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        raise BadInput(f"{path}: merge.patterns must be a list of non-empty strings")
    trailers = data.get("audit", {}).get("trailers", data.get("trailers", False))
    return Config(tuple(patterns), bool(trailers), data)


def default_document() -> dict[str, object]:
    """What ``install`` writes when a repository has no ``.zyflow.toml``."""
    return {"merge": {"patterns": list(DEFAULT_PATTERNS)}, "audit": {"trailers": False}}


def dumps(data: dict[str, object]) -> str:
    import tomli_w

    header = "# zyflow-git settings: which files are task lists (gitattributes patterns), and options.\n"
    return header + tomli_w.dumps(data)
