"""``.zyflow.toml``: the task-file patterns and options of a repository."""

from __future__ import annotations

import re
from pathlib import Path

from .core.record import Record
from .errors import BadInput

CONFIG_NAME = ".zyflow.toml"
DEFAULT_PATTERNS = ("tasks.md", "**/tasks.md")


class Config(Record):
    """Task-file patterns (gitattributes syntax), whether to add commit trailers, the raw table."""

    __slots__ = ("patterns", "trailers", "extra")

    def __init__(self, patterns: tuple[str, ...] = DEFAULT_PATTERNS, trailers: bool = False,
                 extra: dict[str, object] | None = None) -> None:
        self.patterns = patterns
        self.trailers = trailers
        self.extra = extra or {}


def load(top: Path, cache_dir: str | None = None) -> Config:
    """Read ``.zyflow.toml`` at the work tree's top (defaults when absent).

    With ``cache_dir`` (the hooks' path), the patterns are kept in ``config-cache.json`` keyed
    by the file's size and mtime: tomllib costs ~11 ms to import, a tenth of a hook's budget.
    """
    path = top / CONFIG_NAME
    try:
        st = path.stat()
    except FileNotFoundError:
        return Config()
    if cache_dir is not None:
        import json
        import os

        cache = os.path.join(cache_dir, "config-cache.json")
        key = f"{st.st_mtime_ns}:{st.st_size}"
        try:
            with open(cache, encoding="utf-8") as fh:
                saved = json.load(fh)
            if saved.get("key") == key:
                return Config(tuple(saved["patterns"]), bool(saved["trailers"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        conf = load(top)
        try:
            from .fsio import write_atomic

            os.makedirs(cache_dir, exist_ok=True)
            write_atomic(cache, json.dumps({"key": key, "patterns": list(conf.patterns), "trailers": conf.trailers}).encode())
        except OSError:
            pass
        return conf
    import tomllib

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


def _pattern_regex(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def matcher(patterns: tuple[str, ...]) -> "re.Pattern[str]":
    """A regex matching repository paths the way .gitattributes matches these patterns:
    a pattern without "/" matches a file name at any depth, one with "/" the whole path."""
    parts = []
    for p in patterns:
        if "/" in p.rstrip("/"):
            parts.append(_pattern_regex(p.lstrip("/")))
        else:
            parts.append("(?:.*/)?" + _pattern_regex(p))
    return re.compile("(?:" + "|".join(parts) + r")\Z") if parts else re.compile(r"(?!)")


def pathspecs(patterns: tuple[str, ...]) -> list[str]:
    """The same patterns as git pathspecs (for ``git diff --quiet A B -- <pathspecs>``)."""
    return [f":(glob){p.lstrip('/')}" if "/" in p.rstrip("/") else f":(glob)**/{p}" for p in patterns]


def default_document() -> dict[str, object]:
    """What ``install`` writes when a repository has no ``.zyflow.toml``."""
    return {"merge": {"patterns": list(DEFAULT_PATTERNS)}, "audit": {"trailers": False}}


def dumps(data: dict[str, object]) -> str:
    import tomli_w

    header = "# zyflow-git settings: which files are task lists (gitattributes patterns), and options.\n"
    return header + tomli_w.dumps(data)
